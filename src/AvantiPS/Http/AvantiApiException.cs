using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AvantiPS.Http
{
    /// <summary>
    /// An Avanti API call that failed with an HTTP status. The message holds the title, the status, every field error
    /// and the request; the properties let scripts branch without parsing text.
    /// </summary>
    public class AvantiApiException : Exception
    {
        static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

        internal AvantiApiException(string method, string requestPath, int statusCode, string reasonPhrase, ProblemDetails problem, string bodyExcerpt, string advice = null)
            : base(Compose(method, requestPath, statusCode, reasonPhrase, problem, bodyExcerpt, advice))
        {
            Method = method;
            RequestPath = requestPath;
            StatusCode = statusCode;
            Problem = problem;
            Title = problem?.Title ?? reasonPhrase;
            Errors = problem?.Errors ?? NoErrors;
            TraceId = problem?.TraceId;
            BodyExcerpt = bodyExcerpt;
            Advice = string.IsNullOrWhiteSpace(advice) ? null : advice;
        }

        /// <summary>Advice the module added for this failure (what a report ID needs, say); null when it has none beyond the status's.</summary>
        public string Advice { get; }

        /// <summary>The HTTP method of the failed request.</summary>
        public string Method { get; }

        /// <summary>The request path relative to the API base (no host, no query).</summary>
        public string RequestPath { get; }

        /// <summary>The HTTP status code.</summary>
        public int StatusCode { get; }

        /// <summary>The problem title, or the reason phrase when the body was not problem details.</summary>
        public string Title { get; }

        /// <summary>Field errors: field name (possibly empty) to short codes such as invalid_max_length.</summary>
        public IReadOnlyDictionary<string, string[]> Errors { get; }

        /// <summary>The server's trace ID, for Avanti support.</summary>
        public string TraceId { get; }

        /// <summary>The parsed problem details, if the body was problem details.</summary>
        public ProblemDetails Problem { get; }

        /// <summary>The start of a body that was not problem details (an HTML page from a proxy, say).</summary>
        public string BodyExcerpt { get; }

        /// <summary>The answer's headers (what -ResponseHeadersVariable is set to when the call fails).</summary>
        public IReadOnlyDictionary<string, string[]> ResponseHeaders { get; internal set; } = NoErrors;

        /// <summary>The same error with advice appended to the message (for example what a report ID needs).</summary>
        internal AvantiApiException WithAdvice(string advice) =>
            new AvantiApiException(Method, RequestPath, StatusCode, Title, Problem, BodyExcerpt, advice) { ResponseHeaders = ResponseHeaders };

        static string Compose(string method, string path, int status, string reason, ProblemDetails problem, string excerpt, string advice)
        {
            var sb = new StringBuilder();
            sb.Append("Avanti answered ").Append(status);
            string title = problem?.Title ?? reason;
            if (!string.IsNullOrEmpty(title)) sb.Append(' ').Append(title.Trim().TrimEnd('.'));
            sb.Append(" to ").Append(method).Append(' ').Append(path).Append('.');
            if (!string.IsNullOrWhiteSpace(problem?.Detail)) sb.Append(' ').Append(ErrorText.Sentence(problem.Detail));
            // Field errors may be codes (invalid_max_length) or sentences ("The Name field is required."): one full stop each way.
            string[] fieldErrors = problem?.FieldErrors().Select(e => e.Trim().TrimEnd('.')).ToArray() ?? new string[0];
            if (fieldErrors.Length > 0) sb.Append(' ').Append(ErrorText.Sentence(string.Join("; ", fieldErrors)));
            if (problem == null && !string.IsNullOrEmpty(excerpt)) sb.Append(" The answer was not problem details: ").Append(excerpt);
            if (!string.IsNullOrEmpty(advice)) sb.Append(' ').Append(advice);
            if (!string.IsNullOrEmpty(problem?.TraceId)) sb.Append(" (trace ID ").Append(problem.TraceId).Append(')');
            return sb.ToString();
        }
    }

    /// <summary>
    /// A response that arrived but could not be used: cut off, malformed JSON, invalid UTF-8, a timeout while reading.
    /// </summary>
    public sealed class AvantiResponseException : Exception
    {
        public AvantiResponseException(string message, Exception inner = null, ResponseFailure failure = ResponseFailure.Broken) : base(message, inner)
        {
            Failure = failure;
        }

        /// <summary>What was wrong with the answer.</summary>
        public ResponseFailure Failure { get; }
    }

    /// <summary>Why an answer could not be used.</summary>
    public enum ResponseFailure
    {
        /// <summary>The connection broke while the body was read.</summary>
        Broken,

        /// <summary>No data arrived for longer than the timeout.</summary>
        Stalled,

        /// <summary>The body ended before the data did; what arrived is partial.</summary>
        Incomplete,

        /// <summary>The body is not valid JSON or not valid UTF-8.</summary>
        InvalidJson,

        /// <summary>A page of -All began with the item the page before began with: the server ignored skip.</summary>
        RepeatedPage,
    }

    /// <summary>No response at all: connection refused or reset, DNS failure, or no answer within the timeout.</summary>
    public sealed class AvantiConnectionException : Exception
    {
        public AvantiConnectionException(string message, Exception inner = null) : base(message, inner) { }

        /// <summary>True when the request timed out rather than failed.</summary>
        public bool IsTimeout { get; internal set; }
    }
}
