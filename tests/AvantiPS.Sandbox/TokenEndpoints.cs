using System.Text;
using Microsoft.Net.Http.Headers;

namespace AvantiPS.Sandbox;

/// <summary>
/// POST /connect/token (auth.v1.json) under both layouts: legacy /{tenant}-api/connect/token
/// and latest /connect/token with an x-tenant header. Errors answer the OAuth way.
/// </summary>
public sealed class TokenEndpoints(TokenStore tokens, SettingsStore settings)
{
    public const int MaxDeviceIdLength = 128;

    /// <summary>Checked in this order; the first one missing is reported.</summary>
    private static readonly string[] RequiredFields =
        ["grant_type", "client_id", "client_secret", "username", "password", "company", "device_id"];

    public void Map(IEndpointRouteBuilder app) => app.MapPost("/connect/token", Token);

    private async Task Token(HttpContext ctx)
    {
        var api = ApiBase.Get(ctx);
        if (api == null || !api.IsTokenPath)
        {
            await Problems.NotFound(ctx);
            return;
        }

        ctx.Response.Headers.CacheControl = "no-store, no-cache, max-age=0";
        ctx.Response.Headers.Pragma = "no-cache";

        if (settings.TryConsumeTokenFailure())
        {
            ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await Problems.WriteJson(ctx, w =>
            {
                w.WriteString("error", "temporarily_unavailable");
                w.WriteString("error_description", "The token service is unavailable (sandbox tokenFailures).");
            });
            return;
        }

        if (settings.Current.TokenResponseMode == "html")
        {
            var html = Encoding.UTF8.GetBytes(
                "<!DOCTYPE html>\n<html><head><title>Avanti - Sign in</title></head>\n" +
                "<body><h1>Sign in to Avanti</h1><p>Your session has expired. Please sign in again.</p></body></html>\n");
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            ctx.Response.ContentLength = html.Length;
            await ctx.Response.Body.WriteAsync(html, ctx.RequestAborted);
            return;
        }

        var tenant = api.Layout == Layout.Legacy ? api.Tenant : ctx.Request.Headers["x-tenant"].ToString().Trim();
        if (string.IsNullOrEmpty(tenant))
        {
            await Error(ctx, "invalid_request", "The x-tenant header is required.");
            return;
        }
        var identity = Identities.FindTenant(tenant);
        if (identity == null)
        {
            await Error(ctx, "invalid_request", $"Unknown tenant '{tenant}'.");
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var media) ||
            !media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            await Error(ctx, "invalid_request", "The Content-Type must be application/x-www-form-urlencoded.");
            return;
        }

        IFormCollection form;
        try
        {
            form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            await Error(ctx, "invalid_request", "The request body is not a valid form.");
            return;
        }

        foreach (var field in RequiredFields)
        {
            if (string.IsNullOrEmpty(form[field].ToString()))
            {
                await Error(ctx, "invalid_request", $"{field} is required.");
                return;
            }
        }

        if (form["grant_type"] != "password")
        {
            await Error(ctx, "unsupported_grant_type", null);
            return;
        }

        var deviceId = form["device_id"].ToString();
        if (deviceId.Length > MaxDeviceIdLength)
        {
            await Error(ctx, "invalid_request", $"device_id must be at most {MaxDeviceIdLength} characters.");
            return;
        }

        if (form["client_id"] != identity.ClientId || form["client_secret"] != identity.ClientSecret)
        {
            await Error(ctx, "invalid_client", null);
            return;
        }

        if (!string.Equals(form["username"], identity.Username, StringComparison.OrdinalIgnoreCase) ||
            form["password"] != identity.Password ||
            !string.Equals(form["company"], identity.Company, StringComparison.OrdinalIgnoreCase))
        {
            await Error(ctx, "invalid_grant", "invalid_username_or_password");
            return;
        }

        var current = settings.Current;
        var issuer = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}";
        var issued = tokens.Issue(identity, deviceId, issuer, current.TokenLifetimeSeconds);
        var lifetime = current.TokenLifetimeSeconds;

        await Problems.WriteJson(ctx, w =>
        {
            w.WriteString("access_token", issued.AccessToken);
            switch (current.ExpiresInMode)
            {
                case "number": w.WriteNumber("expires_in", lifetime); break;
                case "garbage": w.WriteString("expires_in", "soon"); break;
                case "missing": break;
                default: w.WriteString("expires_in", lifetime.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            }
            w.WriteString("token_type", "Bearer");
            w.WriteString("scope", "AvantiAPI");
            w.WriteNumber("auth_state", 0);
            w.WriteString("company", identity.Company);
        });
    }

    private static Task Error(HttpContext ctx, string error, string description)
    {
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        return Problems.WriteJson(ctx, w =>
        {
            w.WriteString("error", error);
            if (description != null) w.WriteString("error_description", description);
        });
    }
}
