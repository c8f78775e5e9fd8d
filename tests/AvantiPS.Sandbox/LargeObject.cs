using System.Globalization;
using System.Text.Json;

namespace AvantiPS.Sandbox;

/// <summary>
/// Bench only (fault kind "large-object", used by ./build.ps1 -Task Bench): one top-level JSON object of at least the
/// given size, shaped like a POST /v1/Employees answer, <c>{"employees":[...],"total":N}</c>. The employees are computed
/// from their index, so the same size always gives the same bytes, and nothing is held in memory.
/// </summary>
public static class LargeObject
{
    private static readonly string[] GivenNames = ["Olivia", "Noah", "Léa", "Félix", "Zoé", "Arjun", "Maëlle", "Liam"];
    private static readonly string[] Surnames = ["Tremblay", "Côté", "Singh", "Nguyen", "MacDonald", "Girard", "O'Brien"];
    private static readonly string[] Positions = ["Payroll Clerk", "Warehouse Lead", "Controller", "Analyst", "Sales Associate"];

    public static async Task Write(HttpContext ctx, long size, CancellationToken cancel)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var body = ctx.Response.Body;
        await using var w = new Utf8JsonWriter(body, Json.WriterOptions with { SkipValidation = true });
        w.WriteStartObject();
        w.WriteStartArray("employees");
        long count = 0;
        while (w.BytesCommitted + w.BytesPending < size)
        {
            WriteEmployee(w, ++count);
            if (w.BytesPending > 64 * 1024) await w.FlushAsync(cancel);
        }
        w.WriteEndArray();
        w.WriteNumber("total", count);
        w.WriteEndObject();
        await w.FlushAsync(cancel);
    }

    private static void WriteEmployee(Utf8JsonWriter w, long n)
    {
        var given = GivenNames[n % GivenNames.Length];
        var surname = Surnames[n / 3 % Surnames.Length];
        w.WriteStartObject();
        w.WriteString("empNo", n.ToString("D9", CultureInfo.InvariantCulture));
        w.WriteString("givenName", given);
        w.WriteString("surname", surname);
        w.WriteNull("preferredName");
        w.WriteString("initial", ((char)('A' + n % 26)).ToString());
        w.WriteString("positionName", Positions[n % Positions.Length]);
        w.WriteNull("positionNameFr");
        w.WriteNull("photoRevision");
        w.WriteBoolean("active", n % 9 != 0);
        w.WriteString("email", $"employee{n}@abcinc.example");
        w.WriteEndObject();
    }
}
