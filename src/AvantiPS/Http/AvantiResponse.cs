using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;

namespace AvantiPS.Http
{
    /// <summary>
    /// A successful answer whose body has not been read yet. The body stream enforces the request timeout on every
    /// read, so a server that stalls mid-body ends in an error instead of a hang.
    /// </summary>
    internal sealed class AvantiResponse : IDisposable
    {
        readonly HttpResponseMessage message;
        readonly CancellationTokenSource lifetime;

        public AvantiResponse(HttpResponseMessage message, CancellationTokenSource lifetime, AvantiRequest request, Uri uri)
        {
            this.message = message;
            this.lifetime = lifetime;
            Request = request;
            Uri = uri;
            // The header timeout is over; from here on the timeout applies to each read.
            lifetime.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
        }

        public AvantiRequest Request { get; }

        public Uri Uri { get; }

        public int StatusCode => (int)message.StatusCode;

        public string MediaType => message.Content?.Headers.ContentType?.MediaType;

        /// <summary>The charset of the content type, if any (for decoding text answers).</summary>
        public string CharSet => message.Content?.Headers.ContentType?.CharSet;

        public long? ContentLength => message.Content?.Headers.ContentLength;

        public bool HasBody => message.Content != null && message.StatusCode != System.Net.HttpStatusCode.NoContent && ContentLength != 0;

        /// <summary>Response headers, content headers included, as Invoke-RestMethod's -ResponseHeadersVariable gives them.</summary>
        public System.Collections.Generic.Dictionary<string, string[]> Headers() => HeadersOf(message);

        /// <summary>The file name the answer suggests (Content-Disposition filename* or filename), unquoted; null when none.</summary>
        public string SuggestedFileName
        {
            get
            {
                var disposition = message.Content?.Headers.ContentDisposition;
                string name = disposition?.FileNameStar ?? disposition?.FileName;
                return string.IsNullOrEmpty(name) ? null : name.Trim('"');
            }
        }

        internal static System.Collections.Generic.Dictionary<string, string[]> HeadersOf(HttpResponseMessage message)
        {
            var headers = new System.Collections.Generic.Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in message.Headers) headers[header.Key] = header.Value.ToArray();
            if (message.Content != null)
            {
                foreach (var header in message.Content.Headers) headers[header.Key] = header.Value.ToArray();
            }
            return headers;
        }

        /// <summary>The body, with the per-read timeout and cancellation applied.</summary>
        public Stream OpenBody(CancellationToken cancellationToken)
        {
            Stream inner = message.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            return new ReadTimeoutStream(inner, Request.Timeout, cancellationToken, Request.ToString());
        }

        public bool IsJson
        {
            get
            {
                string type = MediaType;
                return type != null && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                    || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                    || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
            }
        }

        public bool IsText
        {
            get
            {
                string type = MediaType;
                return type != null && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
                    || type.EndsWith("/xml", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase));
            }
        }

        public void Dispose()
        {
            message.Dispose();
            lifetime.Dispose();
        }
    }
}
