using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace AvantiPS.Catalog
{
    /// <summary>
    /// Avanti's operations, read from the embedded endpoints.json the first time something needs them (so importing
    /// the module stays fast), and the matching of a path a user typed against the operation templates.
    /// </summary>
    internal sealed class EndpointCatalog
    {
        internal const string ResourceName = "AvantiPS.Catalog.endpoints.json";
        static readonly Lazy<EndpointCatalog> Embedded = new Lazy<EndpointCatalog>(LoadEmbedded);

        EndpointCatalog(IReadOnlyList<AvantiEndpoint> operations)
        {
            Operations = operations;
        }

        /// <summary>The catalog built into the module.</summary>
        public static EndpointCatalog Default => Embedded.Value;

        public IReadOnlyList<AvantiEndpoint> Operations { get; }

        /// <summary>
        /// The operations whose path template matches the path (literal segments case-insensitively, {name} any one
        /// segment); when several templates match, those with the most literal segments win.
        /// </summary>
        public IReadOnlyList<AvantiEndpoint> Match(string path)
        {
            string[] segments = Segments(path);
            int best = -1;
            var found = new List<AvantiEndpoint>();
            foreach (AvantiEndpoint operation in Operations)
            {
                int score = Score(Segments(operation.Path), segments);
                if (score < 0 || score < best) continue;
                if (score > best)
                {
                    best = score;
                    found.Clear();
                }
                found.Add(operation);
            }
            return found;
        }

        /// <summary>The operation for a method and path, or null.</summary>
        public AvantiEndpoint Find(string method, string path) =>
            Match(path).FirstOrDefault(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase));

        static int Score(string[] template, string[] given)
        {
            if (template.Length != given.Length) return -1;
            int literal = 0;
            for (int i = 0; i < template.Length; i++)
            {
                if (IsPlaceholder(template[i]))
                {
                    // A template typed as is ({id}) matches only the same placeholder name's slot, not a literal of another template.
                    continue;
                }
                if (!string.Equals(template[i], given[i], StringComparison.OrdinalIgnoreCase)) return -1;
                literal++;
            }
            return literal;
        }

        internal static bool IsPlaceholder(string segment) =>
            segment.Length > 2 && segment[0] == '{' && segment[segment.Length - 1] == '}';

        internal static string[] Segments(string path) =>
            (path ?? string.Empty).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);

        static EndpointCatalog LoadEmbedded()
        {
            using (Stream stream = typeof(EndpointCatalog).Assembly.GetManifestResourceStream(ResourceName))
            {
                if (stream == null)
                {
                    throw new InvalidOperationException("The endpoint catalog is missing from the module (" + ResourceName + "); rebuild the module.");
                }
                return Load(stream);
            }
        }

        /// <summary>Reads a catalog in the endpoints.json format.</summary>
        public static EndpointCatalog Load(Stream stream)
        {
            using (JsonDocument document = JsonDocument.Parse(stream))
            {
                var operations = new List<AvantiEndpoint>();
                foreach (JsonElement op in document.RootElement.GetProperty("operations").EnumerateArray())
                {
                    var query = new List<AvantiEndpointParameter>();
                    foreach (JsonElement q in op.GetProperty("query").EnumerateArray())
                    {
                        query.Add(new AvantiEndpointParameter(q.GetProperty("name").GetString(), q.GetProperty("type").GetString(), q.GetProperty("required").GetBoolean()));
                    }
                    operations.Add(new AvantiEndpoint(
                        op.GetProperty("name").GetString(),
                        op.GetProperty("method").GetString(),
                        op.GetProperty("path").GetString(),
                        Text(op, "summary"),
                        Text(op, "tag"),
                        op.GetProperty("pathParameters").EnumerateArray().Select(p => p.GetString()).ToList(),
                        query,
                        op.GetProperty("body").GetBoolean(),
                        op.GetProperty("changesData").GetBoolean(),
                        op.GetProperty("binary").GetBoolean(),
                        ReadPaging(op, out string items, out string total),
                        items,
                        total));
                }
                return new EndpointCatalog(operations);
            }
        }

        static EndpointPaging ReadPaging(JsonElement op, out string items, out string total)
        {
            items = null;
            total = null;
            if (!op.TryGetProperty("paging", out JsonElement paging) || paging.ValueKind != JsonValueKind.Object) return EndpointPaging.None;
            items = Text(paging, "items");
            total = Text(paging, "total");
            switch (Text(paging, "by"))
            {
                case "query": return EndpointPaging.Query;
                case "body": return EndpointPaging.Body;
                case "take": return EndpointPaging.TakeOnly;
                default: return EndpointPaging.None;
            }
        }

        static string Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
