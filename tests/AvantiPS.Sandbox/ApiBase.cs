using System.Text.RegularExpressions;

namespace AvantiPS.Sandbox;

/// <summary>Which of Avanti's URL layouts a request came in through.</summary>
public enum Layout
{
    /// <summary>No API base: only the latest token endpoint (/connect/token + x-tenant) lives here.</summary>
    Root,
    /// <summary>Legacy ASSP: /{tenant}-api/v1/... and /{tenant}-api/connect/token.</summary>
    Legacy,
    /// <summary>Latest ASSP: /api/v1/... (the tenant comes from the token).</summary>
    Latest,
}

/// <summary>The request's layout, its tenant (legacy only) and its path after the API base.</summary>
public sealed record ApiBase(Layout Layout, string Tenant, string BasePath, string ApiPath)
{
    private const string ItemKey = "AvantiPS.Sandbox.ApiBase";

    private static readonly Regex LegacyBase = new(@"^/(?<tenant>[^/]+)-api(?=/|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex LatestBase = new(@"^/api(?=/|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static bool IsControlPath(PathString path) =>
        path.StartsWithSegments("/_sandbox", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Moves the API base into PathBase so that one set of endpoints ("/v1/...",
    /// "/connect/token") serves both layouts, and remembers what was stripped.
    /// </summary>
    public static ApiBase Resolve(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        ApiBase result;
        var legacy = LegacyBase.Match(path);
        if (legacy.Success)
        {
            result = new ApiBase(Layout.Legacy, legacy.Groups["tenant"].Value, legacy.Value, Rest(path, legacy.Length));
        }
        else if (LatestBase.Match(path) is { Success: true } latest)
        {
            result = new ApiBase(Layout.Latest, null, latest.Value, Rest(path, latest.Length));
        }
        else
        {
            result = new ApiBase(Layout.Root, null, "", path);
        }

        ctx.Request.PathBase = ctx.Request.PathBase.Add(new PathString(result.BasePath));
        ctx.Request.Path = new PathString(result.ApiPath);
        ctx.Items[ItemKey] = result;
        return result;
    }

    public static ApiBase Get(HttpContext ctx) =>
        ctx.Items.TryGetValue(ItemKey, out var value) ? (ApiBase)value : null;

    public bool IsTokenPath =>
        ApiPath.Equals("/connect/token", StringComparison.OrdinalIgnoreCase) && Layout != Layout.Latest;

    private static string Rest(string path, int baseLength) =>
        path.Length > baseLength ? path[baseLength..] : "/";
}
