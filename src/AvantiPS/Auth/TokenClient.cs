using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Connections;
using AvantiPS.Http;

namespace AvantiPS.Auth
{
    /// <summary>
    /// Requests access tokens with the password grant (IdentityModel, loaded in isolation) plus Avanti's company and device_id fields,
    /// form-urlencoded, with the x-tenant header where the latest URL layout needs it.
    /// </summary>
    internal sealed class TokenClient
    {
        readonly HttpClient http;
        readonly AvantiAddress address;
        readonly AvantiCredentials credentials;
        readonly string company;
        readonly string deviceId;
        readonly TimeSpan timeout;

        public TokenClient(HttpClient http, AvantiAddress address, AvantiCredentials credentials, string company, string deviceId, TimeSpan timeout)
        {
            this.http = http;
            this.address = address;
            this.credentials = credentials;
            this.company = company;
            this.deviceId = deviceId;
            this.timeout = timeout;
        }

        public async Task<AvantiToken> RequestAsync(RequestLog log, Func<DateTimeOffset> clock, CancellationToken cancellationToken)
        {
            var request = new PasswordGrantRequest
            {
                Address = address.TokenUri.AbsoluteUri,
                ClientId = credentials.ClientId,
                ClientSecret = AvantiCredentials.Reveal(credentials.ClientSecret),
                UserName = credentials.UserName,
                Password = AvantiCredentials.Reveal(credentials.Password),
            };
            request.Parameters.Add("company", company);
            request.Parameters.Add("device_id", deviceId);
            if (address.SendsTenantHeader)
            {
                request.Headers.Add("x-tenant", address.Tenant);
            }

            log.Debug("Token request form: grant_type=password client_id=" + credentials.ClientId + " client_secret=" + RequestLog.Mask
                + " username=" + credentials.UserName + " password=" + RequestLog.Mask + " company=" + company + " device_id=" + deviceId
                + (address.SendsTenantHeader ? "; header x-tenant: " + address.Tenant : string.Empty));

            var watch = Stopwatch.StartNew();
            PasswordGrantReply reply;
            using (var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeoutSource.CancelAfter(timeout);
                try
                {
                    reply = await OAuthLoader.PasswordGrant.RequestAsync(http, request, timeoutSource.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut();
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (reply.ErrorKind == GrantErrorKind.Exception && reply.Exception is OperationCanceledException)
                {
                    throw TimedOut();
                }
            }

            log.Verbose("POST " + address.TokenUri.AbsoluteUri + " -> " + (reply.HttpStatus == 0 ? "no answer" : reply.HttpStatus + " " + (HttpStatusCode)reply.HttpStatus) + " in " + watch.ElapsedMilliseconds + " ms");

            if (reply.IsError)
            {
                throw Failure(reply);
            }

            JsonElement json;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(reply.Raw))
                {
                    json = document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                throw new AvantiAuthenticationException(AuthFailure.InvalidResponse, "The token endpoint " + address.TokenUri.AbsoluteUri + " answered with something that is not a JSON token response (" + ErrorText.Excerpt(reply.Raw) + ").", null);
            }
            if (string.IsNullOrEmpty(reply.AccessToken))
            {
                throw new AvantiAuthenticationException(AuthFailure.InvalidResponse, "The token endpoint " + address.TokenUri.AbsoluteUri + " answered without an access_token. Check that the portal address and URL layout are right.", null);
            }

            DateTimeOffset now = clock();
            TimeSpan lifetime = TokenLifetime.Resolve(json, reply.AccessToken, now, out LifetimeSource source);
            if (source != LifetimeSource.ExpiresIn)
            {
                log.Verbose("The token response had no usable expires_in; token lifetime taken from " + (source == LifetimeSource.JwtExpiry ? "the token's exp claim" : "the default of " + TokenLifetime.Default.TotalMinutes + " minutes") + ".");
            }
            string grantedCompany = TryGetString(json, "company") ?? company;
            return new AvantiToken(reply.AccessToken, reply.TokenType, reply.Scope, grantedCompany, now, lifetime, source);
        }

        AvantiAuthenticationException TimedOut() =>
            new AvantiAuthenticationException(AuthFailure.Unreachable, "The token endpoint " + address.TokenUri.AbsoluteUri + " did not answer within " + timeout.TotalSeconds + " seconds.", null);

        Exception Failure(PasswordGrantReply response)
        {
            string uri = address.TokenUri.AbsoluteUri;
            switch (response.ErrorKind)
            {
                case GrantErrorKind.Exception when response.HttpStatus == 0 && IsCertificateFailure(response.Exception):
                    return new AvantiAuthenticationException(AuthFailure.Unreachable,
                        "Could not connect securely to the Avanti token endpoint " + uri + ": the server's certificate could not be validated (" + ErrorText.Innermost(response.Exception).TrimEnd('.') + "). Check the address; AvantiPS never turns certificate validation off.",
                        null);
                case GrantErrorKind.Exception when response.HttpStatus == 0:
                    return new AvantiAuthenticationException(AuthFailure.Unreachable,
                        "Could not reach the Avanti token endpoint " + uri + ": " + ErrorText.Innermost(response.Exception).TrimEnd('.') + ". Check the portal address, the network and any proxy.",
                        null)
                    { IsTransient = true };
                case GrantErrorKind.Exception:
                    return new AvantiAuthenticationException(AuthFailure.InvalidResponse,
                        "The token endpoint " + uri + " answered " + response.HttpStatus + " but not with a JSON token response (" + ErrorText.Excerpt(response.Raw) + "). Check that the portal address and URL layout are right.",
                        null);
            }

            string error = response.Error;
            if (string.Equals(error, "invalid_client", StringComparison.Ordinal))
            {
                return new AvantiAuthenticationException(AuthFailure.ClientRejected,
                    "Avanti rejected the API client: the client ID '" + credentials.ClientId + "' or its client secret is wrong (invalid_client). Check -ClientCredential against the API client credentials from your Avanti administrator.",
                    error);
            }
            if (string.Equals(error, "invalid_grant", StringComparison.Ordinal))
            {
                return new AvantiAuthenticationException(AuthFailure.UserRejected,
                    "Avanti rejected the user '" + credentials.UserName + "' for company '" + company + "' (invalid_grant): the user name, password or company database name is wrong, or the user may not use the API. Check -Credential and -Company.",
                    error);
            }
            if (response.ErrorKind == GrantErrorKind.Protocol && !string.IsNullOrEmpty(error))
            {
                return new AvantiAuthenticationException(AuthFailure.Other,
                    "The token request was refused (" + error + (string.IsNullOrEmpty(response.ErrorDescription) ? string.Empty : ": " + response.ErrorDescription) + ").",
                    error);
            }
            int status = response.HttpStatus;
            return new AvantiAuthenticationException(AuthFailure.Other,
                "The token endpoint " + uri + " answered " + status + " " + (HttpStatusCode)status + " (" + ErrorText.Excerpt(response.Raw) + ").",
                error)
            { IsTransient = status == 429 || status == 502 || status == 503 || status == 504 };
        }

        static string TryGetString(JsonElement json, string name) =>
            json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        static bool IsCertificateFailure(Exception exception)
        {
            for (; exception != null; exception = exception.InnerException)
            {
                if (exception is System.Security.Authentication.AuthenticationException) return true;
            }
            return false;
        }
    }

    /// <summary>Why a token could not be had.</summary>
    public enum AuthFailure
    {
        /// <summary>The token endpoint could not be reached or did not answer in time.</summary>
        Unreachable,

        /// <summary>The answer was not a token response (HTML, plain text, malformed JSON).</summary>
        InvalidResponse,

        /// <summary>The API client ID or client secret was rejected (invalid_client).</summary>
        ClientRejected,

        /// <summary>The user name, password or company was rejected (invalid_grant).</summary>
        UserRejected,

        /// <summary>Any other refusal.</summary>
        Other,
    }

    /// <summary>A token request that failed; the message says which credential to check, and never contains a secret.</summary>
    public sealed class AvantiAuthenticationException : Exception
    {
        public AvantiAuthenticationException(AuthFailure failure, string message, string oauthError) : base(message)
        {
            Failure = failure;
            OAuthError = oauthError;
        }

        /// <summary>What went wrong, for scripts that branch on it.</summary>
        public AuthFailure Failure { get; }

        /// <summary>The OAuth error code the server sent (invalid_client, invalid_grant, ...), if any.</summary>
        public string OAuthError { get; }

        /// <summary>True when trying again later may work (no connection, or the server was busy).</summary>
        public bool IsTransient { get; internal set; }
    }
}
