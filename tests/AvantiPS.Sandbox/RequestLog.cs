using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AvantiPS.Sandbox;

/// <summary>One request as the tests see it at GET /_sandbox/log.</summary>
public sealed class LogEntry
{
    public long Id { get; set; }
    /// <summary>When the request arrived, ISO 8601 UTC with milliseconds.</summary>
    public string Time { get; init; }
    public string Method { get; init; }
    /// <summary>The full request path as sent (still percent-encoded), API base included (e.g. /abcinc-api/v1/PersonalInfo).</summary>
    public string Path { get; init; }
    /// <summary>The path after the API base (e.g. /v1/PersonalInfo or /connect/token), as fault rules match it.</summary>
    public string ApiPath { get; set; }
    /// <summary>The raw query string without the leading '?'.</summary>
    public string Query { get; init; }
    public Dictionary<string, string> Headers { get; init; }
    /// <summary>Token requests only; client_secret and password are masked.</summary>
    public Dictionary<string, string> Form { get; set; }
    /// <summary>The first 4 KB of a JSON request body.</summary>
    public string Body { get; set; }
    /// <summary>Response status; 0 when the connection was reset before any headers.</summary>
    public int Status { get; set; }
    public double DurationMs { get; set; }
    /// <summary>Kind of the fault rule applied to this request, if any.</summary>
    public string Fault { get; set; }
    /// <summary>True when the sandbox (or the client) cut the connection.</summary>
    public bool Aborted { get; set; }
    /// <summary>True when the request came in proxy form (an absolute URL as its target), that is through an HTTP
    /// proxy: a client given the sandbox's own address as its proxy sends it requests this way.</summary>
    public bool Proxied { get; init; }
}

/// <summary>A bounded, thread-safe log of every non-control request.</summary>
public sealed class RequestLog
{
    public const int Capacity = 10_000;
    private const int BodyPrefixBytes = 4096;
    private const string ItemKey = "AvantiPS.Sandbox.LogEntry";
    private static readonly HashSet<string> MaskedFormFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "client_secret", "password",
    };

    private readonly Queue<LogEntry> _entries = new();
    private readonly object _gate = new();
    private long _nextId;

    public void Add(LogEntry entry)
    {
        lock (_gate)
        {
            entry.Id = ++_nextId;
            _entries.Enqueue(entry);
            while (_entries.Count > Capacity) _entries.Dequeue();
        }
    }

    public LogEntry[] Snapshot()
    {
        lock (_gate) return _entries.ToArray();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _nextId = 0;
        }
    }

    /// <summary>The entry of the request being served (for the fault middleware to annotate).</summary>
    public static LogEntry Current(HttpContext ctx) =>
        ctx.Items.TryGetValue(ItemKey, out var value) ? (LogEntry)value : null;

    /// <summary>
    /// Middleware for every non-control request: strips the API base (see <see cref="ApiBase"/>),
    /// counts token requests, and records the request once its response is done.
    /// </summary>
    public async Task Middleware(HttpContext ctx, Func<Task> next, TokenStore tokens)
    {
        if (ApiBase.IsControlPath(ctx.Request.Path))
        {
            await next();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var entry = new LogEntry
        {
            Time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Method = ctx.Request.Method,
            Path = RawPath(ctx),
            Query = ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "",
            Headers = CaptureHeaders(ctx.Request.Headers),
            Proxied = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target && target[0] != '/',
        };
        ctx.Items[ItemKey] = entry;

        var api = ApiBase.Resolve(ctx);
        entry.ApiPath = api.ApiPath;
        try
        {
            if (api.IsTokenPath)
            {
                tokens.CountRequest();
                entry.Form = await CaptureForm(ctx);
            }
            else
            {
                entry.Body = await CaptureJsonBody(ctx);
            }
            await next();
            entry.Status = entry.Aborted ? (ctx.Response.HasStarted ? ctx.Response.StatusCode : 0) : ctx.Response.StatusCode;
            if (ctx.RequestAborted.IsCancellationRequested) entry.Aborted = true;
        }
        catch (Exception)
        {
            entry.Aborted = ctx.Response.HasStarted || ctx.RequestAborted.IsCancellationRequested;
            entry.Status = ctx.Response.HasStarted ? ctx.Response.StatusCode : entry.Aborted ? 0 : 500;
            throw;
        }
        finally
        {
            entry.DurationMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            Add(entry);
        }
    }

    /// <summary>The path exactly as the client sent it, so tests can check a client's URL encoding.</summary>
    private static string RawPath(HttpContext ctx)
    {
        var raw = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return ctx.Request.PathBase.Add(ctx.Request.Path).Value ?? "/";
        var query = raw.IndexOf('?');
        return query < 0 ? raw : raw[..query];
    }

    private static Dictionary<string, string> CaptureHeaders(IHeaderDictionary headers)
    {
        var captured = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            var value = values.ToString();
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                value = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "Bearer ***" : "***";
            }
            captured[name] = value;
        }
        return captured;
    }

    private static async Task<Dictionary<string, string>> CaptureForm(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType) return null;
        try
        {
            // The parsed form is cached on the request, so the token endpoint reads it again for free.
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var captured = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, values) in form)
            {
                captured[name] = MaskedFormFields.Contains(name) ? "***" : values.ToString();
            }
            return captured;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string> CaptureJsonBody(HttpContext ctx)
    {
        var contentType = ctx.Request.ContentType;
        if (contentType == null || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase)) return null;

        ctx.Request.EnableBuffering();
        var buffer = new byte[BodyPrefixBytes];
        var read = 0;
        try
        {
            while (read < buffer.Length)
            {
                var n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(read), ctx.RequestAborted);
                if (n == 0) break;
                read += n;
            }
        }
        finally
        {
            ctx.Request.Body.Position = 0;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
