using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using AvantiPS.Catalog;
using AvantiPS.Connections;
using AvantiPS.Http;
using AvantiPS.Json;

namespace AvantiPS.Endpoints
{
    /// <summary>
    /// What Invoke-AvantiEndpoint was asked for, resolved against the catalog: the operation (when the catalog knows
    /// it), the method, the escaped path, the query, the body bytes, whether the call changes data, and the warnings
    /// a user should see (query keys the operation does not know).
    /// </summary>
    internal sealed class EndpointCall
    {
        static readonly string[] KnownMethods = { "GET", "POST", "PUT", "DELETE" };

        /// <summary>Headers the connection sets on every request; -Headers may not replace them.</summary>
        static readonly string[] ConnectionHeaders = { "Authorization", "x-tenant" };

        EndpointCall() { }

        public AvantiEndpoint Operation { get; private set; }

        public string Method { get; private set; }

        /// <summary>The path to send, relative to the API base, every path parameter escaped.</summary>
        public string Path { get; private set; }

        public AvantiRequest Request { get; private set; }

        /// <summary>The -Body value as given (before it became bytes), for paging in the body.</summary>
        public object BodyValue { get; private set; }

        /// <summary>Whether the call changes data: ask before sending (ShouldProcess), never retry a POST.</summary>
        public bool ChangesData { get; private set; }

        public bool IsDelete => Method == "DELETE";

        public List<string> Warnings { get; } = new List<string>();

        /// <summary>The binary answer is expected (a PDF, a photo): ask for any content type.</summary>
        public bool ExpectsBinary => Operation?.IsBinary == true;

        /// <summary>Resolves and builds the call; an ArgumentException says what to fix.</summary>
        public static EndpointCall Create(EndpointCatalog catalog, string path, string method, IDictionary pathParameters, IDictionary query, object body, string contentType, IDictionary headers = null)
        {
            var call = new EndpointCall();
            string template = NormalisePath(path);
            IReadOnlyList<AvantiEndpoint> matches = catalog.Match(template);
            string[] methods = matches.Select(m => m.Method).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

            bool methodGiven = !string.IsNullOrEmpty(method);
            call.Method = (methodGiven ? method : ResolveMethod(matches, methods, template)).ToUpperInvariant();
            if (Array.IndexOf(KnownMethods, call.Method) < 0)
            {
                throw new ArgumentException("-Method " + method + " is not an HTTP method Avanti uses (GET, POST, PUT, DELETE).");
            }
            if (body != null && call.Method == "GET")
            {
                // A GET carries no body: Avanti ignores it, so what the user meant to change would silently stay as it was.
                string others = string.Join(", ", methods.Where(m => !string.Equals(m, "GET", StringComparison.OrdinalIgnoreCase)));
                throw new EndpointArgumentException("AvantiBodyWithGet", methodGiven
                    ? "-Body was given with -Method GET, but a GET sends no body. Pass the values with -Query, or choose the method that takes the body."
                    : "-Body was given without -Method, so the call would be a GET, which sends no body. Give -Method" + (others.Length > 0 ? " (" + template + " also has " + others + ")" : string.Empty) + ", or pass the values with -Query.");
            }
            call.Operation = matches.FirstOrDefault(m => string.Equals(m.Method, call.Method, StringComparison.OrdinalIgnoreCase));
            if (call.Operation == null)
            {
                call.Warnings.Add(matches.Count > 0
                    ? "The catalog has no " + call.Method + " operation at " + matches[0].Path + " (it has " + string.Join(", ", methods) + "); sending it anyway."
                    : "The catalog has no operation at " + template + "; sending " + call.Method + " anyway.");
            }

            call.Path = Substitute(template, call.Operation?.Path, pathParameters, call.Warnings);
            call.ChangesData = call.Operation?.ChangesData ?? call.Method != "GET";
            bool retrySafe = call.Operation?.IsRetrySafe ?? call.Method != "POST";

            var request = new AvantiRequest(new HttpMethod(call.Method), call.Path) { IsRetrySafe = retrySafe };
            AddQuery(request, query, call.Operation, call.Warnings);
            if (body != null)
            {
                call.BodyValue = body;
                request.Body = BodyBytes(body);
                request.ContentType = string.IsNullOrEmpty(contentType) ? "application/json" : contentType;
            }
            else if (!string.IsNullOrEmpty(contentType))
            {
                request.ContentType = contentType;
            }
            if (call.ExpectsBinary) request.Accept = "*/*";
            AddHeaders(request, headers, !string.IsNullOrEmpty(contentType));
            call.Request = request;
            return call;
        }

        /// <summary>The method when -Method is not given: the path's only one, else GET (as Invoke-RestMethod); changes need -Method.</summary>
        static string ResolveMethod(IReadOnlyList<AvantiEndpoint> matches, string[] methods, string template)
        {
            if (methods.Length == 1) return methods[0];
            // As Invoke-RestMethod does: without -Method, read. Changes always need an explicit -Method.
            if (methods.Contains("GET", StringComparer.OrdinalIgnoreCase)) return "GET";
            if (methods.Length > 1)
            {
                throw new ArgumentException(matches[0].Path + " has several operations; choose one with -Method: "
                    + string.Join(", ", matches.Select(m => m.Method + " (" + m.Summary + ")")) + ".");
            }
            throw new ArgumentException("The catalog has no operation at " + template + ", so -Method is required. Get-AvantiEndpoint lists the paths Avanti documents.");
        }

        static string NormalisePath(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("-Path is empty. Give an operation path such as /v1/PersonalInfo (Get-AvantiEndpoint lists them).");
            }
            path = path.Trim();
            if (path.IndexOf("://", StringComparison.Ordinal) >= 0)
            {
                throw new ArgumentException("-Path '" + AvantiAddress.Printable(path) + "' is a full URL. Give the path relative to the API base, such as /v1/PersonalInfo; the connection supplies the rest.");
            }
            if (path.IndexOf('?') >= 0 || path.IndexOf('#') >= 0)
            {
                throw new ArgumentException("-Path '" + AvantiAddress.Printable(path) + "' contains a query string. Pass query values with -Query @{ name = value } so they are escaped.");
            }
            if (path.IndexOf('%') >= 0)
            {
                // .NET decodes %2e before it removes dot segments, so '/v1/%2e%2e/admin' would leave the API area.
                // Avanti's paths have no escapes; values belong in -PathParameter, which escapes them.
                throw new ArgumentException("-Path '" + AvantiAddress.Printable(path) + "' contains percent-escapes. Give the path as Avanti documents it, with {placeholders} for values, and pass the values with -PathParameter so they are escaped.");
            }
            string[] segments = EndpointCatalog.Segments(path);
            foreach (string segment in segments)
            {
                if (segment == "." || segment == ".." || segment.IndexOf('\\') >= 0 || segment.Any(char.IsControl))
                {
                    throw new ArgumentException("-Path '" + AvantiAddress.Printable(path) + "' has a segment that would change the path's meaning ('.', '..', backslash or control characters).");
                }
            }
            return "/" + string.Join("/", segments);
        }

        /// <summary>Replaces {name} placeholders (of the typed path, or of the catalog template it matched) with escaped -PathParameter values.</summary>
        static string Substitute(string typed, string catalogTemplate, IDictionary values, List<string> warnings)
        {
            var given = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (values != null)
            {
                foreach (DictionaryEntry entry in values) given[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)] = entry.Value;
            }
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string[] segments = EndpointCatalog.Segments(typed);
            for (int i = 0; i < segments.Length; i++)
            {
                if (!EndpointCatalog.IsPlaceholder(segments[i])) continue;
                string name = segments[i].Substring(1, segments[i].Length - 2);
                if (!given.TryGetValue(name, out object value) || value == null)
                {
                    throw new ArgumentException("The path " + typed + " needs a value for {" + name + "}: add -PathParameter @{ " + name + " = '...' }.");
                }
                used.Add(name);
                segments[i] = AvantiAddress.EscapePathSegment(QueryText(value), "path parameter " + name);
            }
            foreach (string name in given.Keys.Where(k => !used.Contains(k)))
            {
                warnings.Add("-PathParameter " + name + " is not a placeholder of " + (catalogTemplate ?? typed) + "; it was not used.");
            }
            return "/" + string.Join("/", segments);
        }

        static void AddQuery(AvantiRequest request, IDictionary query, AvantiEndpoint operation, List<string> warnings)
        {
            if (query == null) return;
            foreach (DictionaryEntry entry in query)
            {
                string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
                AvantiEndpointParameter known = null;
                if (operation != null)
                {
                    known = operation.QueryParameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (known == null)
                    {
                        warnings.Add("-Query key '" + name + "' is not a query parameter of " + operation.Method + " " + operation.Path
                            + (operation.QueryParameters.Length > 0 ? " (it has: " + string.Join(", ", operation.QueryParameters.Select(p => p.Name)) + ")" : " (it has none)") + "; sent anyway.");
                    }
                    else
                    {
                        name = known.Name;
                    }
                }
                object value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                if (value == null) continue;
                bool dateOnly = known != null && known.Type == OutgoingDate.DateOnlyType;
                if (value is IEnumerable list && !(value is string))
                {
                    foreach (object item in list)
                    {
                        if (item != null) request.Query.Add(new KeyValuePair<string, string>(name, QueryText(item, dateOnly)));
                    }
                    continue;
                }
                request.Query.Add(new KeyValuePair<string, string>(name, QueryText(value, dateOnly)));
            }
        }

        /// <summary>
        /// Adds -Headers to the request. Accept and Content-Type replace the request's own (Content-Type as -ContentType
        /// would); Authorization and x-tenant belong to the connection and are refused.
        /// </summary>
        static void AddHeaders(AvantiRequest request, IDictionary headers, bool contentTypeGiven)
        {
            if (headers == null) return;
            foreach (DictionaryEntry entry in headers)
            {
                string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim();
                if (string.IsNullOrEmpty(name)) throw new ArgumentException("-Headers has an empty header name.");
                if (ConnectionHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new EndpointArgumentException("AvantiReservedHeader", "-Headers may not set " + name + ": the connection sends it with every request. To call as another user or tenant, use Connect-Avanti and pass -Connection.");
                }
                object raw = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                if (raw is System.Security.SecureString || raw is PSCredential)
                {
                    throw new ArgumentException("-Headers " + name + ": give the header's text; a " + raw.GetType().Name + " is not sent as a header.");
                }
                string[] values = raw is IEnumerable list && !(raw is string)
                    ? list.Cast<object>().Where(v => v != null).Select(v => QueryText(v)).ToArray()
                    : raw == null ? new string[0] : new[] { QueryText(raw) };
                if (values.Any(v => v.IndexOf('\r') >= 0 || v.IndexOf('\n') >= 0))
                {
                    throw new ArgumentException("-Headers " + name + " has a line break in its value; a header value is one line.");
                }
                if (string.Equals(name, "Accept", StringComparison.OrdinalIgnoreCase))
                {
                    request.Accept = string.Join(", ", values);
                }
                else if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    if (contentTypeGiven) throw new ArgumentException("The content type was given twice, with -ContentType and in -Headers; give it once.");
                    request.ContentType = values.FirstOrDefault() ?? request.ContentType;
                }
                else
                {
                    foreach (string value in values) request.Headers.Add(new KeyValuePair<string, string>(name, value));
                }
            }
        }

        /// <summary>A query or path value as text: booleans lower-case, dates as <see cref="OutgoingDate"/> says, numbers invariant.</summary>
        internal static string QueryText(object value, bool dateOnly = false)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case System.Security.SecureString _:
                case PSCredential _:
                    throw new ArgumentException("Secrets are not sent in URLs: a " + value.GetType().Name + " was given as a query or path value.");
                case bool b:
                    return b ? "true" : "false";
                case SwitchParameter s:
                    return s.IsPresent ? "true" : "false";
                case DateTime _:
                case DateTimeOffset _:
                    OutgoingDate.TryFormat(value, dateOnly, out string date);
                    return date;
                case IFormattable formattable:
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        static byte[] BodyBytes(object body)
        {
            object value = body is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : body;
            switch (value)
            {
                case string text:
                    return new UTF8Encoding(false).GetBytes(text);
                case byte[] bytes:
                    return bytes;
                default:
                    return JsonBodyWriter.Serialize(value);
            }
        }

        public override string ToString() => Method + " " + Path;
    }
}

namespace AvantiPS.Endpoints
{
    /// <summary>A call that cannot be sent as given, with its own error ID (AvantiBodyWithGet, AvantiNotPaged, ...).</summary>
    internal sealed class EndpointArgumentException : ArgumentException
    {
        public EndpointArgumentException(string errorId, string message) : base(message)
        {
            ErrorId = errorId;
        }

        /// <summary>The stable error ID of the error record.</summary>
        public string ErrorId { get; }
    }
}
