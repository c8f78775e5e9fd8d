using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AvantiPS.Sandbox;

/// <summary>
/// The /v1 operations of main.v1.json that the sandbox implements, served under both API
/// bases (/{tenant}-api and /api; see <see cref="ApiBase"/>). Every one needs a bearer token.
/// </summary>
public sealed class ApiEndpoints(TokenStore tokens, IReadOnlyDictionary<string, EmployeeDirectory> directories, ChangeLog changes)
{
    private static readonly Regex EmailPattern = new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant);

    public void Map(IEndpointRouteBuilder app)
    {
        var reporter = new ReporterEndpoints();
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/Reporter/{id}", Secure(reporter.Get));
        v1.MapPost("/Reporter", Secure(reporter.Post));
        v1.MapGet("/PersonalInfo", Secure(GetPersonalInfo));
        v1.MapPut("/PersonalInfo", Secure(PutPersonalInfo));
        v1.MapPost("/Employees", Secure(ListEmployees));
        v1.MapGet("/PayStatements/PDF", Secure(GetPayStatementPdf));
        v1.MapDelete("/Dependents", Secure(DeleteDependent));
        var paged = new PagedEndpoints();
        v1.MapGet("/GLAccounts", Secure((ctx, token) => paged.GlAccounts(ctx)));
        v1.MapGet("/GLProjectAccounts", Secure((ctx, token) => paged.GlProjectAccounts(ctx)));
        v1.MapGet("/PayCodesWithDetails", Secure((ctx, token) => paged.PayCodes(ctx)));
        v1.MapGet("/PayStatements", Secure((ctx, token) => paged.PayStatements(ctx, EmpNoOrOwn(ctx, token))));
        v1.MapGet("/TimeManagement/{viewId}/{templateId}", Secure((ctx, token) => paged.TimeEntries(ctx, EmpNoOrOwn(ctx, token))));
    }

    /// <summary>Wraps a handler with the bearer check; /v1 outside an API base does not exist.</summary>
    private RequestDelegate Secure(Func<HttpContext, IssuedToken, Task> handler) => async ctx =>
    {
        var api = ApiBase.Get(ctx);
        if (api == null || api.Layout == Layout.Root)
        {
            await Problems.NotFound(ctx);
            return;
        }
        var token = await Authenticate(ctx, api);
        if (token != null) await handler(ctx, token);
    };

    /// <summary>The caller's token, or null after answering 401 (missing, unknown, expired, other tenant).</summary>
    private async Task<IssuedToken> Authenticate(HttpContext ctx, ApiBase api)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            await Problems.Unauthorized(ctx, "Bearer");
            return null;
        }

        var token = tokens.Find(header[7..].Trim());
        if (token == null)
        {
            await Problems.Unauthorized(ctx, "Bearer error=\"invalid_token\"");
            return null;
        }
        if (DateTimeOffset.UtcNow >= token.ExpiresAt)
        {
            var expiredAt = token.ExpiresAt.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
            await Problems.Unauthorized(ctx, $"Bearer error=\"invalid_token\", error_description=\"The token expired at '{expiredAt}'\"");
            return null;
        }
        if (api.Layout == Layout.Legacy && !api.Tenant.Equals(token.Identity.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            await Problems.Unauthorized(ctx, "Bearer error=\"invalid_token\", error_description=\"The token was issued for another tenant\"");
            return null;
        }
        return token;
    }

    private EmployeeDirectory Directory(IssuedToken token) => directories[token.Identity.Company];

    /// <summary>The empNo query value, or the employee of the signed-in user when it is absent.</summary>
    private static string EmpNoOrOwn(HttpContext ctx, IssuedToken token)
    {
        var empNo = ctx.Request.Query["empNo"].ToString().Trim();
        return empNo.Length > 0 ? empNo : token.Identity.EmployeeNo;
    }

    // GET /v1/PersonalInfo?empNo=
    private async Task GetPersonalInfo(HttpContext ctx, IssuedToken token)
    {
        var employee = Directory(token).Find(EmpNoOrOwn(ctx, token));
        if (employee == null)
        {
            await Problems.NotFound(ctx);
            return;
        }
        await Problems.WriteJson(ctx, w => WriteProperties(w, employee));
    }

    // PUT /v1/PersonalInfo  (Employee body) -> 204
    private async Task PutPersonalInfo(HttpContext ctx, IssuedToken token)
    {
        using var document = await JsonBody.ReadObject(ctx, "Employee");
        if (document == null) return;
        var body = document.RootElement;

        var errors = new Dictionary<string, List<string>>();
        Schemas.Employee.Validate(body, "$", errors);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) continue;
            var value = property.Value.GetString();
            var name = Pascal(property.Name);
            if (Schemas.EmailFields.Contains(property.Name, StringComparer.OrdinalIgnoreCase) &&
                value.Length > 0 && !EmailPattern.IsMatch(value))
            {
                BodySchema.Add(errors, name, "invalid_email");
            }
            if (Schemas.EmployeeMaxLengths.TryGetValue(property.Name, out var max) && value.Length > max)
            {
                BodySchema.Add(errors, name, "invalid_max_length");
            }
        }
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }

        var empNo = JsonBody.GetString(body, "empNo") is { Length: > 0 } given ? given.Trim() : token.Identity.EmployeeNo;
        if (!Directory(token).Update(empNo, body))
        {
            await Problems.NotFound(ctx);
            return;
        }
        changes.Add(token.Identity.Company, "PUT /v1/PersonalInfo", empNo, body: body.GetRawText());
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // POST /v1/Employees  (EmployeeRequest body) -> GetEmployeeSummaries
    private async Task ListEmployees(HttpContext ctx, IssuedToken token)
    {
        using var document = await JsonBody.ReadObject(ctx, "EmployeeRequest");
        if (document == null) return;
        var body = document.RootElement;

        var errors = new Dictionary<string, List<string>>();
        Schemas.EmployeeRequest.Validate(body, "$", errors);
        var skip = ctx.Items.ContainsKey(FaultRule.IgnoreSkipItem) ? 0 : JsonBody.GetInt(body, "skip") ?? 0;
        var take = JsonBody.GetInt(body, "take") ?? 0;
        if (skip < 0) BodySchema.Add(errors, "Skip", "invalid_min_value");
        if (take < 0) BodySchema.Add(errors, "Take", "invalid_min_value");
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }

        IEnumerable<JsonObject> query = Directory(token).All();
        var active = JsonBody.GetInt(body, "active") ?? 0;
        if (active != 0) query = query.Where(e => (bool)e["active"] == (active == 1));
        if (JsonBody.GetString(body, "search") is { Length: > 0 } search)
        {
            query = query.Where(e => new[] { "empNo", "givenName", "surname", "email" }
                .Any(f => ((string)e[f] ?? "").Contains(search, StringComparison.OrdinalIgnoreCase)));
        }
        if (JsonBody.GetStrings(body, "positions") is { Length: > 0 } positions)
        {
            query = query.Where(e => positions.Contains((string)e["position"]));
        }
        if (JsonBody.GetStrings(body, "locations") is { Length: > 0 } locations)
        {
            query = query.Where(e => locations.Contains((string)e["location"]));
        }
        var sortField = (JsonBody.GetInt(body, "sortOrder") ?? 0) switch { 1 => "surname", 2 => "givenName", _ => "empNo" };
        var sorted = query.OrderBy(e => (string)e[sortField], StringComparer.Ordinal)
            .ThenBy(e => (string)e["empNo"], StringComparer.Ordinal).ToList();
        if (JsonBody.GetInt(body, "sortDirection") == 1) sorted.Reverse();

        long? index = null;
        if (JsonBody.GetString(body, "empNoReference") is { Length: > 0 } reference)
        {
            var found = sorted.FindIndex(e => (string)e["empNo"] == reference);
            index = found >= 0 ? found : null;
        }
        var page = sorted.Skip(skip);
        if (take > 0) page = page.Take(take);
        var includeTotal = JsonBody.GetBool(body, "total") == true;

        await Problems.WriteJson(ctx, w =>
        {
            w.WriteStartArray("employees");
            foreach (var e in page)
            {
                w.WriteStartObject();
                foreach (var field in new[] { "empNo", "givenName", "surname", "preferredName", "initial", "positionName", "positionNameFr" })
                {
                    w.WritePropertyName(field);
                    e[field].WriteToOrNull(w);
                }
                w.WriteNull("photoRevision");
                w.WriteBoolean("active", (bool)e["active"]);
                w.WriteString("email", (string)e["email"]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var total = ctx.Items.TryGetValue(FaultRule.TotalItem, out var injected) && injected is long shown ? shown : sorted.Count;
            if (includeTotal) w.WriteNumber("total", total); else w.WriteNull("total");
            if (index is long i) w.WriteNumber("index", i); else w.WriteNull("index");
        });
    }

    // GET /v1/PayStatements/PDF?runNumber=&empNo=  -> application/pdf
    private async Task GetPayStatementPdf(HttpContext ctx, IssuedToken token)
    {
        var runNumber = ctx.Request.Query["runNumber"].ToString();
        if (!int.TryParse(runNumber, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            await Problems.Validation(ctx, "runNumber", runNumber.Length == 0
                ? "The runNumber field is required."
                : $"The value '{runNumber}' is not valid for runNumber.");
            return;
        }
        if (Directory(token).Find(EmpNoOrOwn(ctx, token)) == null)
        {
            await Problems.NotFound(ctx);
            return;
        }
        ctx.Response.ContentType = "application/pdf";
        ctx.Response.ContentLength = PayStatementPdf.Bytes.Length;
        await ctx.Response.Body.WriteAsync(PayStatementPdf.Bytes, ctx.RequestAborted);
    }

    // DELETE /v1/Dependents?empNo=&dependentNo=  -> 204
    private async Task DeleteDependent(HttpContext ctx, IssuedToken token)
    {
        var empNo = ctx.Request.Query["empNo"].ToString().Trim();
        var dependentText = ctx.Request.Query["dependentNo"].ToString();
        var errors = new Dictionary<string, List<string>>();
        if (empNo.Length == 0) BodySchema.Add(errors, "empNo", "The empNo field is required.");
        if (dependentText.Length == 0) BodySchema.Add(errors, "dependentNo", "The dependentNo field is required.");
        else if (!int.TryParse(dependentText, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            BodySchema.Add(errors, "dependentNo", $"The value '{dependentText}' is not valid for dependentNo.");
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }
        if (Directory(token).Find(empNo) == null)
        {
            await Problems.NotFound(ctx);
            return;
        }
        changes.Add(token.Identity.Company, "DELETE /v1/Dependents", empNo, int.Parse(dependentText, CultureInfo.InvariantCulture));
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static void WriteProperties(Utf8JsonWriter w, JsonObject obj)
    {
        foreach (var (name, value) in obj)
        {
            w.WritePropertyName(name);
            value.WriteToOrNull(w);
        }
    }

    private static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}

internal static class JsonNodeExtensions
{
    public static void WriteToOrNull(this JsonNode node, Utf8JsonWriter w)
    {
        if (node == null) w.WriteNullValue(); else node.WriteTo(w);
    }
}
