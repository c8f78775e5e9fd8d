using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace AvantiPS.Http
{
    /// <summary>
    /// An RFC 7807 problem details body as Avanti sends it: title, status, optional detail, instance, traceId and,
    /// for validation failures, field errors (a field name, possibly empty, mapped to short codes).
    /// </summary>
    public sealed class ProblemDetails
    {
        static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

        public string Type { get; private set; }

        public string Title { get; private set; }

        public int? Status { get; private set; }

        public string Detail { get; private set; }

        public string Instance { get; private set; }

        public string TraceId { get; private set; }

        public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = NoErrors;

        /// <summary>Reads problem details, or returns null when the body is not a JSON object that looks like one.</summary>
        public static ProblemDetails TryParse(byte[] body)
        {
            if (body == null || body.Length == 0) return null;
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(body))
                {
                    JsonElement root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return null;
                    var problem = new ProblemDetails
                    {
                        Type = Text(root, "type"),
                        Title = Text(root, "title"),
                        Detail = Text(root, "detail"),
                        Instance = Text(root, "instance"),
                        TraceId = Text(root, "traceId"),
                    };
                    if (root.TryGetProperty("status", out JsonElement status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int code))
                    {
                        problem.Status = code;
                    }
                    if (root.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Object)
                    {
                        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
                        foreach (JsonProperty field in errors.EnumerateObject())
                        {
                            var codes = new List<string>();
                            if (field.Value.ValueKind == JsonValueKind.Array)
                            {
                                foreach (JsonElement item in field.Value.EnumerateArray())
                                {
                                    codes.Add(item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText());
                                }
                            }
                            else
                            {
                                codes.Add(field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText());
                            }
                            map[field.Name] = codes.ToArray();
                        }
                        problem.Errors = map;
                    }
                    // The OAuth error shape ({"error":"invalid_grant"}) is not problem details.
                    if (problem.Title == null && problem.Status == null && problem.Errors.Count == 0 && problem.Detail == null)
                    {
                        return null;
                    }
                    return problem;
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The field errors as "Field: code" lines; an error for no particular field is shown without a field name.</summary>
        public IEnumerable<string> FieldErrors()
        {
            foreach (KeyValuePair<string, string[]> field in Errors)
            {
                foreach (string code in field.Value)
                {
                    yield return string.IsNullOrEmpty(field.Key) ? code : field.Key + ": " + code;
                }
            }
        }

        public override string ToString()
        {
            var sb = new StringBuilder(Title ?? "Problem");
            if (Status.HasValue) sb.Append(" (").Append(Status.Value).Append(')');
            if (!string.IsNullOrEmpty(Detail)) sb.Append(": ").Append(Detail);
            return sb.ToString();
        }

        static string Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
