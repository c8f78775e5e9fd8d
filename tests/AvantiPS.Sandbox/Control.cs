using System.Text.Json;

namespace AvantiPS.Sandbox;

/// <summary>
/// The control API under /_sandbox (no auth, never logged, never faulted): reset, settings,
/// fault rules, the request log, issued tokens, recorded changes and the fixed identities.
/// </summary>
public sealed class ControlEndpoints(
    SettingsStore settings,
    TokenStore tokens,
    FaultStore faults,
    RequestLog log,
    ChangeLog changes,
    IReadOnlyDictionary<string, EmployeeDirectory> directories)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Map(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sandbox");
        control.MapPost("/reset", Reset);
        control.MapGet("/settings", ctx => Reply(ctx, settings.Current));
        control.MapPost("/settings", UpdateSettings);
        control.MapGet("/faults", ctx => Reply(ctx, faults.Snapshot()));
        control.MapPost("/faults", AddFaults);
        control.MapDelete("/faults", ctx => NoContent(ctx, faults.Clear));
        control.MapGet("/log", ctx => Reply(ctx, log.Snapshot()));
        control.MapDelete("/log", ctx => NoContent(ctx, log.Clear));
        control.MapGet("/tokens", ctx => Reply(ctx, new { requests = tokens.Requests, issued = tokens.Issued }));
        control.MapGet("/changes", ctx => Reply(ctx, changes.Snapshot()));
        control.MapGet("/info", Info);
    }

    private Task Reset(HttpContext ctx) => NoContent(ctx, () =>
    {
        settings.Reset();
        tokens.Reset();
        faults.Clear();
        log.Clear();
        changes.Clear();
        foreach (var directory in directories.Values) directory.Reset();
    });

    private async Task UpdateSettings(HttpContext ctx)
    {
        var (body, error) = await ReadBody(ctx);
        if (error != null || body.ValueKind != JsonValueKind.Object)
        {
            await BadRequest(ctx, error ?? "Expected a JSON object.");
            return;
        }

        var change = new List<Func<SandboxSettings, SandboxSettings>>();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name.ToLowerInvariant())
            {
                case "tokenlifetimeseconds" when value.TryGetInt32Safe(out var lifetime) && lifetime >= 0:
                    change.Add(s => s with { TokenLifetimeSeconds = lifetime });
                    break;
                case "tokenfailures" when value.TryGetInt32Safe(out var failures) && failures >= 0:
                    change.Add(s => s with { TokenFailures = failures });
                    break;
                case "expiresinmode" when value.ValueKind == JsonValueKind.String &&
                                          SandboxSettings.ExpiresInModes.Contains(value.GetString()):
                    change.Add(s => s with { ExpiresInMode = value.GetString() });
                    break;
                case "tokenresponsemode" when value.ValueKind == JsonValueKind.String &&
                                              SandboxSettings.TokenResponseModes.Contains(value.GetString()):
                    change.Add(s => s with { TokenResponseMode = value.GetString() });
                    break;
                default:
                    await BadRequest(ctx, $"Invalid setting '{property.Name}': {value.GetRawText()}. " +
                        "Known: tokenLifetimeSeconds (int >= 0), tokenFailures (int >= 0), " +
                        $"expiresInMode ({string.Join("|", SandboxSettings.ExpiresInModes)}), " +
                        $"tokenResponseMode ({string.Join("|", SandboxSettings.TokenResponseModes)}).");
                    return;
            }
        }
        var updated = settings.Update(s => change.Aggregate(s, (current, apply) => apply(current)));
        await Reply(ctx, updated);
    }

    /// <summary>Accepts one rule object or an array of them; answers the stored rule(s) with their ids.</summary>
    private async Task AddFaults(HttpContext ctx)
    {
        var (body, error) = await ReadBody(ctx);
        if (error != null)
        {
            await BadRequest(ctx, error);
            return;
        }

        var isArray = body.ValueKind == JsonValueKind.Array;
        var elements = isArray ? body.EnumerateArray().ToArray() : [body];
        var rules = new List<FaultRule>();
        foreach (var element in elements)
        {
            FaultRule rule;
            try
            {
                rule = element.ValueKind == JsonValueKind.Object ? element.Deserialize<FaultRule>(JsonOptions) : null;
            }
            catch (JsonException ex)
            {
                await BadRequest(ctx, "Invalid fault rule: " + ex.Message);
                return;
            }
            var problem = rule == null ? "A fault rule must be a JSON object." : rule.Validate();
            if (problem != null)
            {
                await BadRequest(ctx, problem);
                return;
            }
            rules.Add(rule);
        }

        var added = rules.Select(faults.Add).ToArray();
        await Reply(ctx, isArray ? added : added[0]);
    }

    private Task Info(HttpContext ctx)
    {
        var baseUrl = $"{ctx.Request.Scheme}://{ctx.Request.Host}";
        return Reply(ctx, new
        {
            baseUrl,
            httpsUrl = SelfSignedCertificate.HttpsUrl,
            identities = Identities.All.Select(i => new
            {
                tenant = i.Tenant,
                company = i.Company,
                companyName = i.CompanyName,
                clientId = i.ClientId,
                clientSecret = i.ClientSecret,
                username = i.Username,
                password = i.Password,
                employeeNo = i.EmployeeNo,
                legacyApiBase = $"{baseUrl}/{i.Tenant}-api",
                legacyTokenUrl = $"{baseUrl}/{i.Tenant}-api/connect/token",
                latestApiBase = $"{baseUrl}/api",
                latestTokenUrl = $"{baseUrl}/connect/token",
            }),
            payStatementPdfSha256 = PayStatementPdf.Sha256,
            payStatementPdfLength = PayStatementPdf.Bytes.Length,
            reports = Reports.Describe(),
            personalInfoMaxLengths = Schemas.EmployeeMaxLengths,
            defaultSettings = new SandboxSettings(),
            faultKinds = FaultRule.Kinds,
            logCapacity = RequestLog.Capacity,
        });
    }

    private static async Task<(JsonElement Body, string Error)> ReadBody(HttpContext ctx)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, "The body is not valid JSON: " + ex.Message);
        }
    }

    private static Task Reply(HttpContext ctx, object value) =>
        ctx.Response.WriteAsJsonAsync(value, value.GetType(), JsonOptions, "application/json; charset=utf-8", ctx.RequestAborted);

    private static Task NoContent(HttpContext ctx, Action action)
    {
        action();
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task BadRequest(HttpContext ctx, string message)
    {
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Reply(ctx, new { error = message });
    }
}

internal static class JsonElementExtensions
{
    public static bool TryGetInt32Safe(this JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }
}
