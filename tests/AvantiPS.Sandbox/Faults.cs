using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace AvantiPS.Sandbox;

/// <summary>A fault rule as posted to /_sandbox/faults (and listed back, with its id and what is left of count).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FaultRule
{
    public static readonly string[] Kinds =
    [
        "status", "reset", "reset-mid-body", "stall", "truncate", "html",
        "wrong-content-type", "empty-body", "huge-string", "invalid-utf8", "total", "header", "large-object", "bom", "ignore-skip",
    ];

    /// <summary>Key of HttpContext.Items under which a "total" rule leaves the total to report.</summary>
    public const string TotalItem = "AvantiPS.Sandbox.Total";

    /// <summary>Key of HttpContext.Items under which an "ignore-skip" rule asks a paged answer to start at item 0.</summary>
    public const string IgnoreSkipItem = "AvantiPS.Sandbox.IgnoreSkip";

    public long Id { get; set; }
    /// <summary>Matched against the path after the API base ("/v1/..." or "/connect/token"); '*' is a wildcard.</summary>
    public string Path { get; set; }
    /// <summary>HTTP method to match; null matches any.</summary>
    public string Method { get; set; }
    public string Kind { get; set; }
    /// <summary>How many more matching requests this rule applies to; negative means every one until reset.</summary>
    public int? Count { get; set; }
    /// <summary>status/html: the status code to answer.</summary>
    public int? Status { get; set; }
    /// <summary>status: value of the Retry-After header, in seconds.</summary>
    public int? RetryAfter { get; set; }
    /// <summary>reset-mid-body/truncate/stall: bytes of the real body sent before the fault.</summary>
    public long? AfterBytes { get; set; }
    /// <summary>stall: how long to stall.</summary>
    public double? Seconds { get; set; }
    /// <summary>huge-string: length of the string value in characters; large-object: the answer's size in bytes (at least).</summary>
    public long? Size { get; set; }
    /// <summary>total: the total a paged answer with a total (POST /v1/Employees) reports instead of the real count.</summary>
    public long? Total { get; set; }
    /// <summary>header: the response header to add to the real answer, and its value.</summary>
    public string Header { get; set; }
    public string Value { get; set; }
    /// <summary>How many matching requests pass untouched before the rule applies (so a later page can fail).</summary>
    public int? AfterRequests { get; set; }

    internal Regex Pattern { get; private set; }

    /// <summary>Fills in defaults and checks the rule; returns an error message or null.</summary>
    public string Validate()
    {
        Kind = Kind?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(Kind)) return "kind is required; one of: " + string.Join(", ", Kinds);
        if (Array.IndexOf(Kinds, Kind) < 0) return $"Unknown kind '{Kind}'; one of: " + string.Join(", ", Kinds);
        Path = string.IsNullOrWhiteSpace(Path) ? "*" : Path.Trim();
        Method = string.IsNullOrWhiteSpace(Method) ? null : Method.Trim().ToUpperInvariant();
        Count ??= 1;
        if (Count == 0) return "count must be positive (or negative for 'every request until reset').";
        if (Status is < 100 or > 599) return "status must be between 100 and 599.";
        if (RetryAfter < 0) return "retryAfter must not be negative.";
        if (AfterBytes < 0) return "afterBytes must not be negative.";
        if (Seconds < 0) return "seconds must not be negative.";
        if (Size is < 0 or > 1_000_000_000) return "size must be between 0 and 1000000000.";
        if (Kind == "total" && Total is null or < 0) return "total: give the total to report (0 or more).";
        if (Kind == "header" && (string.IsNullOrWhiteSpace(Header) || Value == null)) return "header: give header and value.";
        if (AfterRequests < 0) return "afterRequests must not be negative.";

        Pattern = new Regex("^" + string.Join(".*", Path.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return null;
    }

    internal bool Matches(string method, string apiPath) =>
        (Method == null || Method.Equals(method, StringComparison.OrdinalIgnoreCase)) && Pattern.IsMatch(apiPath);

    internal FaultRule Copy() => (FaultRule)MemberwiseClone();
}

/// <summary>The pending fault rules, consumed in the order they were added.</summary>
public sealed class FaultStore
{
    private readonly List<FaultRule> _rules = new();
    private readonly object _gate = new();
    private long _nextId;

    public FaultRule Add(FaultRule rule)
    {
        lock (_gate)
        {
            rule.Id = ++_nextId;
            _rules.Add(rule);
            return rule.Copy();
        }
    }

    public FaultRule[] Snapshot()
    {
        lock (_gate) return _rules.Select(r => r.Copy()).ToArray();
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>The first pending rule matching the request, with one use consumed.</summary>
    public FaultRule TryTake(string method, string apiPath)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!rule.Matches(method, apiPath)) continue;
                if (rule.AfterRequests > 0)
                {
                    rule.AfterRequests--;
                    continue;
                }
                if (rule.Count > 0)
                {
                    rule.Count--;
                    if (rule.Count == 0) _rules.RemoveAt(i);
                }
                return rule.Copy();
            }
            return null;
        }
    }
}

/// <summary>Applies fault rules to API and token requests.</summary>
public sealed class FaultInjector(FaultStore store, IHostApplicationLifetime lifetime)
{
    private const long DefaultMidBodyBytes = 200;
    private const double DefaultStallSeconds = 30;
    private const long DefaultHugeStringSize = 20L * 1024 * 1024;
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(150);

    public async Task Middleware(HttpContext ctx, Func<Task> next)
    {
        var api = ApiBase.Get(ctx);
        var rule = api == null ? null : store.TryTake(ctx.Request.Method, api.ApiPath);
        if (rule == null)
        {
            await next();
            return;
        }

        var entry = RequestLog.Current(ctx);
        if (entry != null) entry.Fault = rule.Kind;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);

        switch (rule.Kind)
        {
            case "status":
                if (rule.RetryAfter is int retryAfter) ctx.Response.Headers.RetryAfter = retryAfter.ToString();
                await Problems.Status(ctx, rule.Status ?? 500, $"Injected by the Avanti sandbox (fault rule {rule.Id}).");
                break;

            case "reset":
                MarkAborted(ctx);
                ctx.Abort();
                break;

            case "reset-mid-body":
                await WithLimitedBody(ctx, next, rule.AfterBytes ?? DefaultMidBodyBytes, LimitMode.Abort, TimeSpan.Zero, cancel.Token);
                break;

            case "stall":
                var stall = TimeSpan.FromSeconds(rule.Seconds ?? DefaultStallSeconds);
                if (rule.AfterBytes is long stallAfter)
                {
                    await WithLimitedBody(ctx, next, stallAfter, LimitMode.Stall, stall, cancel.Token);
                }
                else
                {
                    try
                    {
                        await Task.Delay(stall, cancel.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Client gone, or the sandbox is shutting down: never answer a stalled request.
                        MarkAborted(ctx);
                        ctx.Abort();
                        return;
                    }
                    await next();
                }
                break;

            case "truncate":
                if (rule.AfterBytes is long truncateAfter)
                {
                    await WithLimitedBody(ctx, next, truncateAfter, LimitMode.Truncate, TimeSpan.Zero, cancel.Token);
                }
                else
                {
                    await WithHalfBody(ctx, next);
                }
                break;

            case "html":
                await WriteHtmlError(ctx, rule.Status ?? 502);
                break;

            case "wrong-content-type":
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.ContentType = "text/plain; charset=utf-8";
                    return Task.CompletedTask;
                });
                await next();
                break;

            case "empty-body":
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json; charset=utf-8";
                ctx.Response.ContentLength = 0;
                break;

            case "huge-string":
                await WriteHugeString(ctx, rule.Size ?? DefaultHugeStringSize, cancel.Token);
                break;

            case "invalid-utf8":
                await WriteInvalidUtf8(ctx);
                break;

            case "total":
                ctx.Items[FaultRule.TotalItem] = rule.Total;
                await next();
                break;

            case "ignore-skip":
                ctx.Items[FaultRule.IgnoreSkipItem] = true;
                await next();
                break;

            case "header":
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.Headers[rule.Header] = rule.Value;
                    return Task.CompletedTask;
                });
                await next();
                break;

            case "large-object":
                await LargeObject.Write(ctx, rule.Size ?? DefaultHugeStringSize, cancel.Token);
                break;

            case "bom":
                await WithByteOrderMark(ctx, next);
                break;
        }
    }

    private static void MarkAborted(HttpContext ctx)
    {
        if (RequestLog.Current(ctx) is { } entry) entry.Aborted = true;
    }

    private static async Task WithLimitedBody(HttpContext ctx, Func<Task> next, long limit, LimitMode mode,
        TimeSpan stall, CancellationToken cancel)
    {
        var original = ctx.Response.Body;
        var limited = new LimitedResponseStream(ctx, original, limit, mode, stall, cancel);
        if (mode == LimitMode.Truncate)
        {
            // The body ends early but cleanly, so a Content-Length would be a lie.
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.ContentLength = null;
                return Task.CompletedTask;
            });
        }
        ctx.Response.Body = limited;
        try
        {
            await next();
            await ctx.Response.BodyWriter.FlushAsync(cancel);
        }
        finally
        {
            ctx.Response.Body = original;
        }

        if (mode == LimitMode.Abort && !limited.Aborted)
        {
            // The real body was shorter than afterBytes: still cut the connection at its end.
            await FlushThenAbort(ctx, original, cancel);
        }
    }

    /// <summary>
    /// Sends what was written so far, then resets the connection. Kestrel drops output that
    /// is still queued when a connection is aborted, hence the short pause.
    /// </summary>
    internal static async Task FlushThenAbort(HttpContext ctx, Stream body, CancellationToken cancel)
    {
        try
        {
            await body.FlushAsync(cancel);
            await Task.Delay(AbortGrace, cancel);
        }
        catch (OperationCanceledException)
        {
            // The client left first; aborting is all that is left to do.
        }
        MarkAborted(ctx);
        ctx.Abort();
    }

    private static async Task WithHalfBody(HttpContext ctx, Func<Task> next)
    {
        using MemoryStream buffer = await CaptureBody(ctx, next);
        ctx.Response.ContentLength = null;
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2)), ctx.RequestAborted);
    }

    /// <summary>Runs the real endpoint into memory and gives back what it wrote, so a fault can alter it.</summary>
    private static async Task<MemoryStream> CaptureBody(HttpContext ctx, Func<Task> next)
    {
        var original = ctx.Response.Body;
        var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next();
            await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
        }
        finally
        {
            ctx.Response.Body = original;
        }
        return buffer;
    }

    /// <summary>The real answer with a UTF-8 byte-order mark before its body, as some Windows servers send.</summary>
    private static async Task WithByteOrderMark(HttpContext ctx, Func<Task> next)
    {
        using MemoryStream buffer = await CaptureBody(ctx, next);
        ctx.Response.ContentLength = buffer.Length + 3;
        await ctx.Response.Body.WriteAsync(new byte[] { 0xEF, 0xBB, 0xBF }, ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }

    private static Task WriteHtmlError(HttpContext ctx, int status)
    {
        var reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var html = $"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n" +
                   $"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        var bytes = Encoding.UTF8.GetBytes(html);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        ctx.Response.ContentLength = bytes.Length;
        return ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).AsTask();
    }

    private static async Task WriteHugeString(HttpContext ctx, long size, CancellationToken cancel)
    {
        var prefix = Encoding.UTF8.GetBytes("[{\"employeeNo\":\"000000011\",\"notes\":\"");
        var suffix = Encoding.UTF8.GetBytes("\"}]");
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("AvantiPS sandbox huge string value. ", 2048)));

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = prefix.Length + size + suffix.Length;
        var body = ctx.Response.Body;
        await body.WriteAsync(prefix, cancel);
        for (var left = size; left > 0;)
        {
            var n = (int)Math.Min(left, chunk.Length);
            await body.WriteAsync(chunk.AsMemory(0, n), cancel);
            left -= n;
        }
        await body.WriteAsync(suffix, cancel);
    }

    private static Task WriteInvalidUtf8(HttpContext ctx)
    {
        using var bytes = new MemoryStream();
        bytes.Write("[{\"employeeNo\":\"000000011\",\"firstName\":\"Bad"u8);
        bytes.Write([0xC3, 0x28]);               // a lead byte followed by a non-continuation byte
        bytes.Write(" bytes "u8);
        bytes.Write([0xFF, 0xFE, 0x80]);         // never valid in UTF-8
        bytes.Write("\",\"lastName\":\"Tremblay\"}]"u8);
        var body = bytes.ToArray();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }
}

public enum LimitMode
{
    /// <summary>After the limit: flush and reset the connection.</summary>
    Abort,
    /// <summary>After the limit: discard the rest, end the response normally.</summary>
    Truncate,
    /// <summary>After the limit: flush, stall, then send the rest.</summary>
    Stall,
}

/// <summary>Response body wrapper that lets the first N bytes through, then applies a <see cref="LimitMode"/>.</summary>
public sealed class LimitedResponseStream(HttpContext ctx, Stream inner, long limit, LimitMode mode,
    TimeSpan stall, CancellationToken cancel) : Stream
{
    private long _written;
    private bool _limitHandled;

    public bool Aborted { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Aborted) throw new OperationCanceledException("The sandbox reset this connection.");
        if (_limitHandled)
        {
            if (mode == LimitMode.Stall) await inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        var allowed = (int)Math.Min(buffer.Length, limit - _written);
        if (allowed > 0)
        {
            await inner.WriteAsync(buffer[..allowed], cancellationToken);
            _written += allowed;
        }
        if (_written < limit) return;

        _limitHandled = true;
        switch (mode)
        {
            case LimitMode.Abort:
                await FaultInjector.FlushThenAbort(ctx, inner, cancellationToken);
                Aborted = true;
                throw new OperationCanceledException("The sandbox reset this connection.");
            case LimitMode.Stall:
                await inner.FlushAsync(cancellationToken);
                await Task.Delay(stall, cancel);
                await inner.WriteAsync(buffer[allowed..], cancellationToken);
                break;
            case LimitMode.Truncate:
                break;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Aborted ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush() => FlushAsync(default).GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
