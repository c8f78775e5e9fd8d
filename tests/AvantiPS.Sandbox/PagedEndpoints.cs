using System.Globalization;
using System.Text.Json.Nodes;

namespace AvantiPS.Sandbox;

/// <summary>
/// The GET operations of main.v1.json that page with skip and take as query parameters, over fixed, generated
/// lists shaped like the contract's schemas: GLAccounts (230 GlSegment), GLProjectAccounts (40 GlProjectSegment),
/// PayCodesWithDetails (45 PayCode), PayStatements (130 PayStatement for the employee), and
/// TimeManagement/{viewId}/{templateId} (75 TimeEntry; take defaults to 30 there, as the contract says).
/// take absent or 0 answers everything from skip on; a skip or take that is not a whole number ≥ 0 is a 400.
/// </summary>
public sealed class PagedEndpoints
{
    public const int GlAccountCount = 230, ProjectCount = 40, PayCodeCount = 45, PayStatementCount = 130, TimeEntryCount = 75;

    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public Task GlAccounts(HttpContext ctx) =>
        Page(ctx, GlAccountCount, 0, i => GlSegment(1 + i % 3, (1000 + i).ToString(CultureInfo.InvariantCulture), $"GL account {i + 1}"));

    public Task GlProjectAccounts(HttpContext ctx) =>
        Page(ctx, ProjectCount, 0, i => new JsonObject
        {
            ["project"] = GlSegment(4, "P" + (100 + i).ToString(CultureInfo.InvariantCulture), $"Project {i + 1}"),
            ["phases"] = new JsonArray(Enumerable.Range(1, 1 + i % 3)
                .Select(p => (JsonNode)new JsonObject { ["segmentNo"] = 5, ["phase"] = "PH" + p.ToString(CultureInfo.InvariantCulture) }).ToArray()),
        });

    public Task PayCodes(HttpContext ctx) =>
        Page(ctx, PayCodeCount, 0, i => new JsonObject
        {
            ["code"] = "PC" + (i + 1).ToString("D3", CultureInfo.InvariantCulture),
            ["description"] = $"Pay code {i + 1}",
            ["useShifts"] = 0,
            ["earnCode"] = "E" + (i % 9).ToString(CultureInfo.InvariantCulture),
            ["useUnits"] = i % 2 == 0,
            ["defaultUnits"] = 8.0,
            ["active"] = i % 7 != 0,
        });

    public Task PayStatements(HttpContext ctx, string empNo) =>
        Page(ctx, PayStatementCount, 0, i => new JsonObject
        {
            ["empNo"] = empNo,
            ["runNumber"] = 2000 + PayStatementCount - i,
            ["payEndingDate"] = Date(Start.AddDays(14 * (PayStatementCount - i))),
            ["bankNo"] = "01",
            ["chequeNo"] = (38000 + i).ToString("D6", CultureInfo.InvariantCulture),
            ["keyExtension"] = 1,
            ["chequeDate"] = Date(Start.AddDays(14 * (PayStatementCount - i) + 3)),
            ["earnings"] = 3744.0 + i,
            ["deductions"] = 1468.77,
            ["benefits"] = 1998.84,
            ["netPay"] = 2275.23 + i,
        });

    public Task TimeEntries(HttpContext ctx, string empNo) =>
        Page(ctx, TimeEntryCount, 30, i => new JsonObject
        {
            ["source"] = 0,
            ["id"] = i + 1,
            ["empNo"] = empNo,
            ["date"] = Date(Start.AddDays(i)),
            ["unit"] = 8.0,
            ["unitCode"] = "H",
            ["fromTime"] = Date(Start.AddDays(i).AddHours(9)),
            ["toTime"] = Date(Start.AddDays(i).AddHours(17)),
            ["isApproved"] = i % 2 == 0,
            ["comments"] = $"Entry {i + 1}",
        });

    private static JsonObject GlSegment(int segmentNo, string account, string description) => new()
    {
        ["segmentNo"] = segmentNo,
        ["account"] = account,
        ["name"] = description,
        ["description"] = description,
        ["abbreviation"] = account,
        ["type"] = "A",
        ["mask"] = "####",
        ["effectiveDate"] = Date(Start),
        ["active"] = true,
        ["useProjectAccount"] = false,
    };

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Answers items [skip, skip + take) of a list of <paramref name="count"/> made by <paramref name="make"/>.</summary>
    private static async Task Page(HttpContext ctx, int count, int defaultTake, Func<int, JsonObject> make)
    {
        var errors = new Dictionary<string, List<string>>();
        var skip = Whole(ctx, "skip", 0, errors);
        if (ctx.Items.ContainsKey(FaultRule.IgnoreSkipItem)) skip = 0;
        var take = Whole(ctx, "take", defaultTake, errors);
        if (errors.Count > 0)
        {
            await Problems.Validation(ctx, errors);
            return;
        }
        var end = take > 0 ? (int)Math.Min(count, (long)skip + take) : count;
        var items = new JsonArray();
        for (var i = skip; i < end; i++) items.Add(make(i));
        var bytes = System.Text.Encoding.UTF8.GetBytes(items.ToJsonString());
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    private static int Whole(HttpContext ctx, string name, int fallback, Dictionary<string, List<string>> errors)
    {
        var text = ctx.Request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        BodySchema.Add(errors, name, $"The value '{text}' is not valid for {name}.");
        return 0;
    }
}
