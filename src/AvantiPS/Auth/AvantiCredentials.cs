using System;
using System.Net;
using System.Security;

namespace AvantiPS.Auth
{
    /// <summary>
    /// The four secrets-bearing values a password grant needs. Secrets stay SecureStrings until the moment a token
    /// request is written; nothing here prints them.
    /// </summary>
    internal sealed class AvantiCredentials : IDisposable
    {
        public AvantiCredentials(string clientId, SecureString clientSecret, string userName, SecureString password)
        {
            ClientId = clientId;
            UserName = userName;
            ClientSecret = Copy(clientSecret);
            Password = Copy(password);
        }

        public string ClientId { get; }

        public string UserName { get; }

        public SecureString ClientSecret { get; }

        public SecureString Password { get; }

        internal static string Reveal(SecureString value) => value == null ? string.Empty : new NetworkCredential(string.Empty, value).Password;

        static SecureString Copy(SecureString value)
        {
            SecureString copy = value?.Copy() ?? new SecureString();
            copy.MakeReadOnly();
            return copy;
        }

        public void Dispose()
        {
            ClientSecret.Dispose();
            Password.Dispose();
        }

        public override string ToString() => ClientId + " / " + UserName;
    }
}
