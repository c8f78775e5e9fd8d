using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Auth;
using IdentityModel.Client;

namespace AvantiPS.OAuth
{
    /// <summary>
    /// The password grant through IdentityModel: client credentials in the form body, Avanti's extra fields as
    /// parameters, the x-tenant header when asked for. Only plain values cross back to the module.
    /// </summary>
    internal sealed class IdentityModelPasswordGrant : IPasswordGrant
    {
        public async Task<PasswordGrantReply> RequestAsync(HttpClient http, PasswordGrantRequest request, CancellationToken cancellationToken)
        {
            var tokenRequest = new PasswordTokenRequest
            {
                Address = request.Address,
                ClientId = request.ClientId,
                ClientSecret = request.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
                UserName = request.UserName,
                Password = request.Password,
            };
            foreach (var parameter in request.Parameters) tokenRequest.Parameters.Add(parameter.Key, parameter.Value);
            foreach (var header in request.Headers) tokenRequest.Headers.Add(header.Key, header.Value);

            TokenResponse response = await http.RequestPasswordTokenAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
            return new PasswordGrantReply
            {
                ErrorKind = !response.IsError ? GrantErrorKind.None
                    : response.ErrorType == ResponseErrorType.Protocol ? GrantErrorKind.Protocol
                    : response.ErrorType == ResponseErrorType.Http ? GrantErrorKind.Http
                    : GrantErrorKind.Exception,
                HttpStatus = (int)response.HttpStatusCode,
                ReasonPhrase = response.HttpErrorReason,
                Error = response.Error,
                ErrorDescription = response.ErrorDescription,
                Raw = response.Raw,
                AccessToken = response.AccessToken,
                TokenType = response.TokenType,
                Scope = response.Scope,
                Exception = response.Exception,
            };
        }
    }
}
