using System.Globalization;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace AvantiPS.Sandbox;

/// <summary>What a JSON property of a request body may hold.</summary>
public enum FieldKind
{
    String, Bool, Int, Number, DateTime, Enum, StringArray, ObjectArray, Object, Any,
}

/// <summary>One property of a request-body schema.</summary>
public sealed record FieldSpec(FieldKind Kind, bool Nullable = false, string TypeName = null,
    int[] EnumValues = null, BodySchema Items = null);

/// <summary>
/// A tiny validator for the request bodies the sandbox accepts. It reports errors the way
/// ASP.NET Core's JSON input formatter does ("$.field" keys), so clients see realistic 400s.
/// </summary>
public sealed class BodySchema(string typeName, bool allowUnknown, IReadOnlyDictionary<string, FieldSpec> fields)
{
    public string TypeName { get; } = typeName;

    public void Validate(JsonElement obj, string path, Dictionary<string, List<string>> errors)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var propertyPath = $"{path}.{property.Name}";
            var spec = Find(property.Name);
            if (spec == null)
            {
                if (!allowUnknown)
                {
                    Add(errors, propertyPath,
                        $"The JSON property '{property.Name}' could not be mapped to any .NET member contained in type '{TypeName}'.");
                }
                continue;
            }
            if (!IsValid(property.Value, spec, propertyPath, errors))
            {
                Add(errors, propertyPath,
                    $"The JSON value could not be converted to {spec.TypeName ?? DefaultTypeName(spec)}. Path: {propertyPath}");
            }
        }
    }

    /// <summary>Property names are case-insensitive, as with ASP.NET Core's web JSON defaults.</summary>
    public FieldSpec Find(string name)
    {
        foreach (var (key, spec) in fields)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) return spec;
        }
        return null;
    }

    private static bool IsValid(JsonElement value, FieldSpec spec, string path, Dictionary<string, List<string>> errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return spec.Nullable || spec.Kind == FieldKind.Any;
        switch (spec.Kind)
        {
            case FieldKind.Any:
                return true;
            case FieldKind.String:
                return value.ValueKind == JsonValueKind.String;
            case FieldKind.Bool:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False;
            case FieldKind.Int:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _);
            case FieldKind.Number:
                return value.ValueKind == JsonValueKind.Number;
            case FieldKind.DateTime:
                return value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString(), out _);
            case FieldKind.Enum:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) &&
                       Array.IndexOf(spec.EnumValues, n) >= 0;
            case FieldKind.StringArray:
                return value.ValueKind == JsonValueKind.Array &&
                       value.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Null);
            case FieldKind.ObjectArray:
                if (value.ValueKind != JsonValueKind.Array) return false;
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) return false;
                    spec.Items?.Validate(item, $"{path}[{index++}]", errors);
                }
                return true;
            case FieldKind.Object:
                if (value.ValueKind != JsonValueKind.Object) return false;
                spec.Items?.Validate(value, path, errors);
                return true;
            default:
                return false;
        }
    }

    private static string DefaultTypeName(FieldSpec spec) => spec.Kind switch
    {
        FieldKind.String => "System.String",
        FieldKind.Bool => spec.Nullable ? "System.Nullable`1[System.Boolean]" : "System.Boolean",
        FieldKind.Int => "System.Int32",
        FieldKind.Number => spec.Nullable ? "System.Nullable`1[System.Double]" : "System.Double",
        FieldKind.DateTime => spec.Nullable ? "System.Nullable`1[System.DateTime]" : "System.DateTime",
        FieldKind.StringArray => "System.Collections.Generic.List`1[System.String]",
        _ => "System.Object",
    };

    public static bool TryParseDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    public static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list)) errors[key] = list = new List<string>();
        list.Add(message);
    }
}

/// <summary>Reads a JSON request body the way an ASP.NET Core [FromBody] parameter would.</summary>
public static class JsonBody
{
    /// <summary>
    /// The parsed body, or null after writing the error response (415 for a non-JSON
    /// content type, 400 for an empty or malformed body or one that is not an object).
    /// </summary>
    public static async Task<JsonDocument> ReadObject(HttpContext ctx, string typeName)
    {
        if (!IsJsonContentType(ctx.Request.ContentType))
        {
            await Problems.Status(ctx, StatusCodes.Status415UnsupportedMediaType);
            return null;
        }

        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            if (buffer.Length == 0)
            {
                await Problems.Validation(ctx, "", "A non-empty request body is required.");
                return null;
            }
            document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            await Problems.Validation(ctx, "$", ex.Message);
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            await Problems.Validation(ctx, "$", $"The JSON value could not be converted to {typeName}. Path: $");
            return null;
        }
        return document;
    }

    /// <summary>application/json, text/json and application/*+json, as the contract lists.</summary>
    public static bool IsJsonContentType(string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        var type = media.MediaType.Value ?? "";
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
               type.Equals("text/json", StringComparison.OrdinalIgnoreCase) ||
               (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
                type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    public static string GetString(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static bool? GetBool(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public static int? GetInt(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    public static DateTimeOffset? GetDate(JsonElement obj, string name) =>
        GetString(obj, name) is { } s && BodySchema.TryParseDate(s, out var d) ? d : null;

    public static string[] GetStrings(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).ToArray()
            : null;

    /// <summary>Case-insensitive property lookup.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
