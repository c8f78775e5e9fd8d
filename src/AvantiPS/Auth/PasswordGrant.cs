using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AvantiPS.Auth
{
    /// <summary>
    /// Sends an OAuth password grant. Implemented in AvantiPS.OAuth with IdentityModel, which the module loads in
    /// isolation (see <see cref="OAuthLoader"/>), so only plain types cross this boundary.
    /// </summary>
    internal interface IPasswordGrant
    {
        Task<PasswordGrantReply> RequestAsync(HttpClient http, PasswordGrantRequest request, CancellationToken cancellationToken);
    }

    internal sealed class PasswordGrantRequest
    {
        public string Address { get; set; }

        public string ClientId { get; set; }

        public string ClientSecret { get; set; }

        public string UserName { get; set; }

        public string Password { get; set; }

        public Dictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>();

        public override string ToString() => "password grant to " + Address;
    }

    internal enum GrantErrorKind
    {
        None,
        Protocol,
        Http,
        Exception,
    }

    internal sealed class PasswordGrantReply
    {
        public GrantErrorKind ErrorKind { get; set; }

        public bool IsError => ErrorKind != GrantErrorKind.None;

        public int HttpStatus { get; set; }

        public string ReasonPhrase { get; set; }

        public string Error { get; set; }

        public string ErrorDescription { get; set; }

        /// <summary>The response body as text.</summary>
        public string Raw { get; set; }

        public string AccessToken { get; set; }

        public string TokenType { get; set; }

        public string Scope { get; set; }

        public Exception Exception { get; set; }

        public override string ToString() => IsError ? "token error " + (Error ?? HttpStatus.ToString()) : TokenType + " token";
    }
}
