namespace AvantiPS.Sandbox;

/// <summary>GET /v1/Reporter/{id} and POST /v1/Reporter (custom endpoints).</summary>
public sealed class ReporterEndpoints
{
    private const string InvalidReportId = "Valid Report ID is required.";

    // GET /v1/Reporter/{id}?fromEmpNo&toEmpNo&fromDate&toDate&merge
    public async Task Get(HttpContext ctx, IssuedToken token)
    {
        var query = ctx.Request.Query;
        var errors = new Dictionary<string, List<string>>();
        var fromDate = ParseDate(query["fromDate"], "fromDate", errors);
        var toDate = ParseDate(query["toDate"], "toDate", errors);
        var merge = query["merge"].ToString();
        if (merge.Length > 0 && !bool.TryParse(merge, out _))
        {
            BodySchema.Add(errors, "merge", $"The value '{merge}' is not valid for merge.");
        }
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }

        var report = Reports.Find(ctx.Request.RouteValues["id"] as string);
        if (report == null)
        {
            await Problems.Validation(ctx, "", InvalidReportId);
            return;
        }

        var filter = new ReportFilter(
            FromEmpNo: NullIfEmpty(query["fromEmpNo"]),
            ToEmpNo: NullIfEmpty(query["toEmpNo"]),
            FromDate: fromDate,
            ToDate: toDate);
        await Reports.Stream(ctx, report, filter);
    }

    // POST /v1/Reporter  (ReportOptions body)
    public async Task Post(HttpContext ctx, IssuedToken token)
    {
        using var document = await JsonBody.ReadObject(ctx, "ReportOptions");
        if (document == null) return;
        var options = document.RootElement;

        var errors = new Dictionary<string, List<string>>();
        Schemas.ReportOptions.Validate(options, "$", errors);
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }

        var report = Reports.Find(JsonBody.GetString(options, "id"));
        if (report == null)
        {
            await Problems.Validation(ctx, "", InvalidReportId);
            return;
        }

        // allEmployees/allDates/allPayGroups = true switch the matching range off; a range
        // that is not given leaves that side open.
        var allEmployees = JsonBody.GetBool(options, "allEmployees") == true;
        var allDates = JsonBody.GetBool(options, "allDates") == true;
        var allPayGroups = JsonBody.GetBool(options, "allPayGroups") == true;
        var payGroups = allPayGroups ? null : JsonBody.GetStrings(options, "selectedPayGroups");
        var filter = new ReportFilter(
            FromEmpNo: allEmployees ? null : NullIfEmpty(JsonBody.GetString(options, "fromEmpNo")),
            ToEmpNo: allEmployees ? null : NullIfEmpty(JsonBody.GetString(options, "toEmpNo")),
            FromDate: allDates ? null : JsonBody.GetDate(options, "fromDate"),
            ToDate: allDates ? null : JsonBody.GetDate(options, "toDate"),
            IncludeActive: JsonBody.GetBool(options, "active") != false,
            IncludeInactive: JsonBody.GetBool(options, "inactive") != false,
            PayGroups: payGroups is { Length: > 0 } ? payGroups : null);
        await Reports.Stream(ctx, report, filter);
    }

    private static DateTimeOffset? ParseDate(string text, string name, Dictionary<string, List<string>> errors)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (BodySchema.TryParseDate(text, out var date)) return date;
        BodySchema.Add(errors, name, $"The value '{text}' is not valid for {name}.");
        return null;
    }

    private static string NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
