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

namespace AvantiPS.Endpoints
{
    /// <summary>
    /// What Invoke-AvantiEndpoint was asked for, resolved against the catalog: the operation (when the catalog knows
    /// it), the method, the escaped path, the query, the body bytes, whether the call changes data, and the warnings
    /// a user should see (query keys the operation does not know).
    /// </summary>
    internal sealed class EndpointCall
    {
        static readonly string[] KnownMethods = { "GET", "POST", "PUT", "DELETE", "PATCH" };

        EndpointCall() { }

        public AvantiEndpoint Operation { get; private set; }

        public string Method { get; private set; }

        /// <summary>The path to send, relative to the API base, every path parameter escaped.</summary>
        public string Path { get; private set; }

        public AvantiRequest Request { get; private set; }

        /// <summary>Whether the call changes data: ask before sending (ShouldProcess), never retry a POST.</summary>
        public bool ChangesData { get; private set; }

        public bool IsDelete => Method == "DELETE";

        public List<string> Warnings { get; } = new List<string>();

        /// <summary>The binary answer is expected (a PDF, a photo): ask for any content type.</summary>
        public bool ExpectsBinary => Operation?.IsBinary == true;

        /// <summary>Resolves and builds the call; an ArgumentException says what to fix.</summary>
        public static EndpointCall Create(EndpointCatalog catalog, string path, string method, IDictionary pathParameters, IDictionary query, object body, string contentType)
        {
            var call = new EndpointCall();
            string template = NormalisePath(path);
            IReadOnlyList<AvantiEndpoint> matches = catalog.Match(template);
            string[] methods = matches.Select(m => m.Method).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

            if (string.IsNullOrEmpty(method))
            {
                if (methods.Length == 1)
                {
                    method = methods[0];
                }
                else if (methods.Contains("GET", StringComparer.OrdinalIgnoreCase))
                {
                    // As Invoke-RestMethod does: without -Method, read. Changes always need an explicit -Method.
                    method = "GET";
                }
                else if (methods.Length > 1)
                {
                    throw new ArgumentException(matches[0].Path + " has several operations; choose one with -Method: "
                        + string.Join(", ", matches.Select(m => m.Method + " (" + m.Summary + ")")) + ".");
                }
                else
                {
                    throw new ArgumentException("The catalog has no operation at " + template + ", so -Method is required. Get-AvantiEndpoint lists the paths Avanti documents.");
                }
            }
            call.Method = method.ToUpperInvariant();
            if (Array.IndexOf(KnownMethods, call.Method) < 0)
            {
                throw new ArgumentException("-Method " + method + " is not an HTTP method Avanti uses (GET, POST, PUT, DELETE).");
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
                request.Body = BodyBytes(body);
                request.ContentType = string.IsNullOrEmpty(contentType) ? "application/json" : contentType;
            }
            else if (!string.IsNullOrEmpty(contentType))
            {
                request.ContentType = contentType;
            }
            if (call.ExpectsBinary) request.Accept = "*/*";
            call.Request = request;
            return call;
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
                if (operation != null)
                {
                    AvantiEndpointParameter known = operation.QueryParameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
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
                if (value is IEnumerable list && !(value is string))
                {
                    foreach (object item in list)
                    {
                        if (item != null) request.Query.Add(new KeyValuePair<string, string>(name, QueryText(item)));
                    }
                    continue;
                }
                request.Query.Add(new KeyValuePair<string, string>(name, QueryText(value)));
            }
        }

        /// <summary>A query or path value as text: booleans lower-case, dates ISO 8601, numbers invariant.</summary>
        internal static string QueryText(object value)
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
                case DateTime date:
                    return JsonBodyWriter.FormatDate(date);
                case DateTimeOffset offset:
                    return offset.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
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
