using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Auth;
using AvantiPS.Connections;

namespace AvantiPS.Http
{
    /// <summary>
    /// The one way every cmdlet reaches Avanti: adds the bearer token, retries what is safe to retry, re-grants once
    /// on a 401, and turns error answers into <see cref="AvantiApiException"/>s. Success answers are returned with
    /// their body unread so callers can stream it.
    /// </summary>
    internal sealed class AvantiHttpPipeline
    {
        static readonly Random Jitter = new Random();
        readonly HttpClient http;
        readonly AvantiAddress address;
        readonly TokenProvider tokens;

        public AvantiHttpPipeline(HttpClient http, AvantiAddress address, TokenProvider tokens)
        {
            this.http = http;
            this.address = address;
            this.tokens = tokens;
        }

        /// <summary>Sends the request; the caller owns (and must dispose) the response.</summary>
        public async Task<AvantiResponse> SendAsync(AvantiRequest request, RequestLog log, CancellationToken cancellationToken)
        {
            Uri uri = address.BuildUri(request.Path, request.Query);
            bool regranted = false;
            int retries = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AvantiToken token = await tokens.GetAsync(false, log, cancellationToken).ConfigureAwait(false);
                var watch = Stopwatch.StartNew();
                HttpResponseMessage response;
                var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                try
                {
                    if (request.Timeout > TimeSpan.Zero) attempt.CancelAfter(request.Timeout);
                    using (HttpRequestMessage message = Build(request, uri, token, log))
                    {
                        response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    attempt.Dispose();
                    log.Verbose(request.Method.Method + " " + uri.AbsolutePath + " -> no answer within " + request.Timeout.TotalSeconds + " s");
                    throw new AvantiConnectionException(request.Method.Method + " " + request.Path + " got no answer within " + request.Timeout.TotalSeconds + " seconds (-TimeoutSec). The server may be overloaded; try again later or allow more time.") { IsTimeout = true };
                }
                catch (HttpRequestException ex)
                {
                    attempt.Dispose();
                    string reason = ErrorText.Innermost(ex);
                    log.Verbose(request.Method.Method + " " + uri.AbsolutePath + " -> failed: " + reason);
                    if (request.IsRetrySafe && retries < request.MaximumRetryCount)
                    {
                        retries++;
                        await WaitAsync(Backoff(request.RetryInterval, retries), "the connection failed", retries, request.MaximumRetryCount, log, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    throw new AvantiConnectionException("Could not reach Avanti at " + uri.GetLeftPart(UriPartial.Path) + ": " + reason + (request.IsRetrySafe ? " (tried " + (retries + 1) + " times)" : " (not retried: the request may change data)"), ex);
                }

                int status = (int)response.StatusCode;
                log.Verbose(request.Method.Method + " " + uri.AbsolutePath + " -> " + status + " " + response.ReasonPhrase + " in " + watch.ElapsedMilliseconds + " ms");
                if (response.IsSuccessStatusCode)
                {
                    return new AvantiResponse(response, attempt, request, uri);
                }

                attempt.Dispose();
                if (status == 401 && !regranted)
                {
                    response.Dispose();
                    regranted = true;
                    log.Verbose("The token was refused (401); requesting a new one and trying once more.");
                    await tokens.RenewAfterRejectionAsync(token, log, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (status == 429 && retries < request.MaximumRetryCount)
                {
                    TimeSpan wait = RetryAfter(response) ?? Backoff(request.RetryInterval, retries + 1);
                    if (wait <= request.MaximumRetryAfter)
                    {
                        response.Dispose();
                        retries++;
                        await WaitAsync(wait, "Avanti asked to slow down (429)", retries, request.MaximumRetryCount, log, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if ((status == 502 || status == 503 || status == 504) && request.IsRetrySafe && retries < request.MaximumRetryCount)
                {
                    TimeSpan wait = RetryAfter(response) ?? Backoff(request.RetryInterval, retries + 1);
                    if (wait <= request.MaximumRetryAfter)
                    {
                        response.Dispose();
                        retries++;
                        await WaitAsync(wait, "Avanti answered " + status, retries, request.MaximumRetryCount, log, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if (request.AcceptAnyStatus)
                {
                    return new AvantiResponse(response, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken), request, uri);
                }

                using (response)
                {
                    throw await ErrorFromAsync(request, response, retries, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        HttpRequestMessage Build(AvantiRequest request, Uri uri, AvantiToken token, RequestLog log)
        {
            var message = new HttpRequestMessage(request.Method, uri);
            // main.v1.json secures every operation with the Bearer scheme, whatever token_type the token server names
            // (Prism's mock of auth.v1.json answers "string").
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            message.Headers.Accept.ParseAdd(request.Accept);
            foreach (KeyValuePair<string, string> header in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            if (request.Body != null)
            {
                message.Content = new ByteArrayContent(request.Body);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
            log.Debug(request.Method.Method + " " + uri.AbsoluteUri + "; Authorization: Bearer " + RequestLog.Mask
                + "; Accept: " + request.Accept
                + (request.Headers.Count > 0 ? "; " + string.Join("; ", request.Headers.Select(h => h.Key)) + ": (given with -Headers)" : string.Empty)
                + (request.Body != null ? "; Content-Type: " + request.ContentType + "; " + request.Body.Length + " body bytes" : string.Empty));
            return message;
        }

        static async Task<AvantiApiException> ErrorFromAsync(AvantiRequest request, HttpResponseMessage response, int retries, CancellationToken cancellationToken)
        {
            byte[] body = await ReadCappedAsync(response, 64 * 1024, cancellationToken).ConfigureAwait(false);
            ProblemDetails problem = ProblemDetails.TryParse(body);
            string excerpt = problem == null ? ErrorText.Excerpt(Encoding.UTF8.GetString(body)) : null;
            int status = (int)response.StatusCode;
            string advice = null;
            if (status == 401) advice = "The token was refused even after a new grant; check that the API user may use this endpoint, then Connect-Avanti again.";
            else if (status == 403) advice = "The API user lacks permission for this operation; ask your Avanti administrator for access.";
            else if (status == 429) advice = RetryAfter(response) is TimeSpan after ? "Avanti asks to wait " + Math.Ceiling(after.TotalSeconds) + " seconds before retrying." : "Too many requests; retry later.";
            else if (retries > 0) advice = "(after " + retries + " retries)";
            return new AvantiApiException(request.Method.Method, request.Path, status, response.ReasonPhrase, problem, excerpt, advice) { ResponseHeaders = AvantiResponse.HeadersOf(response) };
        }

        static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, int cap, CancellationToken cancellationToken)
        {
            if (response.Content == null) return new byte[0];
            try
            {
                using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                using (var buffer = new MemoryStream())
                {
                    byte[] chunk = new byte[8192];
                    int read;
                    while (buffer.Length < cap && (read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        buffer.Write(chunk, 0, read);
                    }
                    return buffer.ToArray();
                }
            }
            catch (IOException)
            {
                return new byte[0];
            }
            catch (HttpRequestException)
            {
                return new byte[0];
            }
        }

        static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            RetryConditionHeaderValue retryAfter = response.Headers.RetryAfter;
            if (retryAfter == null) return null;
            if (retryAfter.Delta.HasValue) return retryAfter.Delta.Value;
            if (retryAfter.Date.HasValue)
            {
                TimeSpan wait = retryAfter.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>Exponential back-off with jitter, so parallel clients do not retry in lock-step.</summary>
        internal static TimeSpan Backoff(TimeSpan interval, int attempt)
        {
            double baseMs = interval.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 6));
            double jitter;
            lock (Jitter) jitter = 0.8 + Jitter.NextDouble() * 0.4;
            return TimeSpan.FromMilliseconds(baseMs * jitter);
        }

        static Task WaitAsync(TimeSpan wait, string why, int retry, int of, RequestLog log, CancellationToken cancellationToken)
        {
            log.Verbose(why + "; retry " + retry + " of " + of + " in " + wait.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s.");
            return Task.Delay(wait, cancellationToken);
        }

    }
}
