using System;
using System.Security;

namespace AvantiPS.Auth
{
    /// <summary>
    /// What Get-AvantiToken returns: the token as a SecureString (a string only with -AsPlainText) and what it is for.
    /// ToString() never shows the token.
    /// </summary>
    public sealed class AvantiTokenInfo
    {
        internal AvantiTokenInfo(object token, AvantiToken source, string tenant, string connectionName)
        {
            Token = token;
            TokenType = source.TokenType;
            ExpiresOn = source.ExpiresOn;
            Company = source.Company;
            Scope = source.Scope;
            Tenant = tenant;
            ConnectionName = connectionName;
            LifetimeSource = source.LifetimeSource;
        }

        /// <summary>The access token: a SecureString, or a string when -AsPlainText was given.</summary>
        public object Token { get; }

        public string TokenType { get; }

        public DateTimeOffset ExpiresOn { get; }

        public string Tenant { get; }

        public string Company { get; }

        public string Scope { get; }

        public string ConnectionName { get; }

        /// <summary>Where the expiry came from: expires_in, the token's exp claim, or a default.</summary>
        public LifetimeSource LifetimeSource { get; }

        internal static SecureString Protect(string value)
        {
            var secure = new SecureString();
            foreach (char c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public override string ToString() => TokenType + " token for " + Tenant + "/" + Company + ", expires " + ExpiresOn.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz");
    }
}
