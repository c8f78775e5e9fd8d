using System.Security.Cryptography;
using System.Text.Json;

namespace AvantiPS.Sandbox;

/// <summary>
/// Writes RFC 7807 problem details the way Avanti's ASP.NET Core back end does:
/// application/problem+json with type, title, status, traceId and, for validation
/// failures, an errors object mapping a field name (possibly "") to short codes.
/// </summary>
public static class Problems
{
    private static readonly Dictionary<int, (string Type, string Title)> Known = new()
    {
        [400] = ("https://tools.ietf.org/html/rfc7231#section-6.5.1", "Bad Request"),
        [403] = ("https://tools.ietf.org/html/rfc7231#section-6.5.3", "Forbidden"),
        [404] = ("https://tools.ietf.org/html/rfc7231#section-6.5.4", "Not Found"),
        [405] = ("https://tools.ietf.org/html/rfc7231#section-6.5.5", "Method Not Allowed"),
        [408] = ("https://tools.ietf.org/html/rfc7231#section-6.5.7", "Request Timeout"),
        [409] = ("https://tools.ietf.org/html/rfc7231#section-6.5.8", "Conflict"),
        [415] = ("https://tools.ietf.org/html/rfc7231#section-6.5.13", "Unsupported Media Type"),
        [429] = ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
        [500] = ("https://tools.ietf.org/html/rfc7231#section-6.6.1", "An error occurred while processing your request."),
        [502] = ("https://tools.ietf.org/html/rfc7231#section-6.6.3", "Bad Gateway"),
        [503] = ("https://tools.ietf.org/html/rfc7231#section-6.6.4", "Service Unavailable"),
        [504] = ("https://tools.ietf.org/html/rfc7231#section-6.6.5", "Gateway Timeout"),
    };

    public const string ContentType = "application/problem+json; charset=utf-8";

    /// <summary>A W3C traceparent-shaped id, as ASP.NET Core puts in traceId.</summary>
    public static string NewTraceId() =>
        $"00-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()}-" +
        $"{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}-00";

    /// <summary>Exactly what Avanti answers for a missing, unknown or expired bearer token.</summary>
    public static Task Unauthorized(HttpContext ctx, string wwwAuthenticate)
    {
        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
        ctx.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        return WriteJson(ctx, w =>
        {
            w.WriteString("title", "Unauthorized");
            w.WriteNumber("status", 401);
        }, ContentType);
    }

    public static Task Status(HttpContext ctx, int status, string detail = null)
    {
        var (type, title) = Known.TryGetValue(status, out var k)
            ? k
            : ("https://tools.ietf.org/html/rfc7231", ReasonPhrase(status));
        ctx.Response.StatusCode = status;
        return WriteJson(ctx, w =>
        {
            w.WriteString("type", type);
            w.WriteString("title", title);
            w.WriteNumber("status", status);
            if (detail != null) w.WriteString("detail", detail);
            w.WriteString("traceId", NewTraceId());
        }, ContentType);
    }

    public static Task NotFound(HttpContext ctx) => Status(ctx, StatusCodes.Status404NotFound);

    /// <summary>400 "One or more validation errors occurred." with the given errors.</summary>
    public static Task Validation(HttpContext ctx, IReadOnlyDictionary<string, List<string>> errors)
    {
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        return WriteJson(ctx, w =>
        {
            w.WriteString("type", Known[400].Type);
            w.WriteString("title", "One or more validation errors occurred.");
            w.WriteNumber("status", 400);
            w.WriteString("traceId", NewTraceId());
            w.WriteStartObject("errors");
            foreach (var (field, codes) in errors)
            {
                w.WriteStartArray(field);
                foreach (var code in codes) w.WriteStringValue(code);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, ContentType);
    }

    public static Task Validation(HttpContext ctx, string field, string code) =>
        Validation(ctx, new Dictionary<string, List<string>> { [field] = [code] });

    /// <summary>Writes one JSON object with a buffered Utf8JsonWriter and sets Content-Length.</summary>
    public static async Task WriteJson(HttpContext ctx, Action<Utf8JsonWriter> body,
        string contentType = "application/json; charset=utf-8")
    {
        var bytes = Json.Object(body);
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : "Error";
}

/// <summary>Small JSON helpers shared by the endpoints.</summary>
public static class Json
{
    /// <summary>Avanti does not escape '+' or accented letters in its JSON; neither does the sandbox.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Object(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>ISO 8601 with seven fractional digits and an offset, as in Avanti's report rows.</summary>
    public static string ReportDate(DateTime date) =>
        date.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "+00:00";

    /// <summary>ISO 8601 without offset, as Avanti serializes DateTime fields of its entities.</summary>
    public static string EntityDate(DateTime date) =>
        date.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
