using System;
using System.Collections.Generic;
using System.Net.Http;

namespace AvantiPS.Http
{
    /// <summary>
    /// One API call as the pipeline sends it: relative path, escaped query, a body that can be re-sent on retry,
    /// and whether it is safe to repeat.
    /// </summary>
    internal sealed class AvantiRequest
    {
        public AvantiRequest(HttpMethod method, string path)
        {
            Method = method ?? throw new ArgumentNullException(nameof(method));
            Path = path ?? throw new ArgumentNullException(nameof(path));
        }

        public HttpMethod Method { get; }

        /// <summary>Path relative to the API base, e.g. /v1/Reporter/WageSample (already escaped).</summary>
        public string Path { get; }

        public List<KeyValuePair<string, string>> Query { get; private set; } = new List<KeyValuePair<string, string>>();

        /// <summary>Extra request headers (-Headers); never Authorization or x-tenant, which the connection owns.</summary>
        public List<KeyValuePair<string, string>> Headers { get; private set; } = new List<KeyValuePair<string, string>>();

        /// <summary>The body bytes; kept as bytes so a retry sends exactly the same thing.</summary>
        public byte[] Body { get; set; }

        public string ContentType { get; set; } = "application/json";

        /// <summary>What the caller accepts; JSON unless a binary download is wanted.</summary>
        public string Accept { get; set; } = "application/json";

        /// <summary>
        /// True when repeating the request cannot change data twice: GET, PUT, DELETE, and the POST operations
        /// that only query (/v1/Employees, /v1/Reporter, /v1/AttendanceData).
        /// </summary>
        public bool IsRetrySafe { get; set; }

        /// <summary>How long to wait for headers, and for each read of the body. Zero means no limit.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        public int MaximumRetryCount { get; set; } = 4;

        /// <summary>An answer with any status is handed back instead of failing (-SkipHttpErrorCheck); retries still apply.</summary>
        public bool AcceptAnyStatus { get; set; }

        /// <summary>The first back-off interval; it doubles on each retry, with jitter.</summary>
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>The longest Retry-After the pipeline will sit out; a longer one fails with an error that says when to retry.</summary>
        public TimeSpan MaximumRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>A copy to change for another page of the same call: same settings, its own query list.</summary>
        public AvantiRequest Copy()
        {
            var copy = (AvantiRequest)MemberwiseClone();
            copy.Query = new List<KeyValuePair<string, string>>(Query);
            copy.Headers = new List<KeyValuePair<string, string>>(Headers);
            return copy;
        }

        public override string ToString() => Method.Method + " " + Path;
    }
}
