using System.Globalization;
using System.Text.Json;

namespace AvantiPS.Sandbox;

/// <summary>The few fields of a report row that filters look at.</summary>
public readonly record struct RowKeys(string EmployeeNo, DateTime Date, bool? Active, string PayGroup);

/// <summary>
/// A custom report as the Reporter endpoints serve it: rows of flat objects whose
/// properties follow <see cref="Columns"/> in order, a column without data for a row
/// being left out of that row (as Avanti does).
/// </summary>
public abstract class Report
{
    public abstract string Id { get; }
    /// <summary>All columns, in the order they appear within a row (the union order).</summary>
    public abstract IReadOnlyList<string> Columns { get; }
    public abstract long RowCount { get; }
    /// <summary>The date column fromDate/toDate filter on.</summary>
    public abstract string DateColumn { get; }
    public abstract RowKeys Keys(long row);
    public abstract void WriteRow(Utf8JsonWriter w, long row);
}

/// <summary>Employee/date/status/pay-group filtering shared by GET and POST /v1/Reporter.</summary>
public sealed record ReportFilter(
    string FromEmpNo = null,
    string ToEmpNo = null,
    DateTimeOffset? FromDate = null,
    DateTimeOffset? ToDate = null,
    bool IncludeActive = true,
    bool IncludeInactive = true,
    string[] PayGroups = null)
{
    public bool IsEmpty => FromEmpNo == null && ToEmpNo == null && FromDate == null && ToDate == null &&
                           IncludeActive && IncludeInactive && PayGroups == null;

    public bool Matches(Report report, long row)
    {
        var keys = report.Keys(row);
        // Employee numbers are compared as strings, like the SQL behind Avanti's reports.
        if (FromEmpNo != null && string.CompareOrdinal(keys.EmployeeNo, FromEmpNo) < 0) return false;
        if (ToEmpNo != null && string.CompareOrdinal(keys.EmployeeNo, ToEmpNo) > 0) return false;
        if (FromDate != null && keys.Date < FromDate.Value.UtcDateTime.Date) return false;
        if (ToDate != null && keys.Date > ToDate.Value.UtcDateTime) return false;
        if (keys.Active == true && !IncludeActive) return false;
        if (keys.Active == false && !IncludeInactive) return false;
        if (PayGroups != null && !PayGroups.Contains(keys.PayGroup, StringComparer.OrdinalIgnoreCase)) return false;
        return true;
    }
}

/// <summary>The report catalog and the streaming writer.</summary>
public static class Reports
{
    /// <summary>Largest N accepted in HR&lt;N&gt;.</summary>
    public const long MaxHrRows = 5_000_000;

    /// <summary>A report that exists but is not web-enabled: answers like an unknown ID.</summary>
    public const string UnprintableId = "NotWebEnabled";

    private const int FlushEveryBytes = 64 * 1024;

    private static readonly JsonWriterOptions StreamOptions = Json.WriterOptions with { SkipValidation = true };

    public static readonly Report WageSample = new TableReport("WageSample",
        ["employeeNo", "payGroup", "position", "initialHireDate", "terminationDate", "hourlyRate", "active"],
        "initialHireDate",
        [
            ["000000011", "001", "3000", D(1992, 3, 6), null, 28.75m, true],
            ["000000012", "001", "9001", D(1990, 2, 28), D(2019, 8, 1), 31.40m, false],
            ["000000013", "001", "9001", D(2000, 1, 1), null, 22.00m, true],
            ["000000014", "999", "9003", D(1990, 1, 1), null, 45.125m, true],
            ["000000015", "003", "3000", D(2015, 1, 27), null, 19.5m, true],
            ["000000016", "002", "4100", D(2018, 6, 11), D(2023, 2, 15), 24.00m, false],
            ["000000017", "002", "4100", D(2021, 9, 20), null, 26.35m, true],
            ["000000018", "003", "5200", D(2023, 4, 3), null, 18.90m, true],
        ]);

    /// <summary>
    /// Column-union test: "bonus" is only on rows 1-4, "terminationDate" only on rows 8-10,
    /// so neither the first nor the last row alone shows every column.
    /// </summary>
    public static readonly Report LateColumn = new TableReport("LateColumn",
        ["employeeNo", "firstName", "lastName", "bonus", "hireDate", "terminationDate", "department"],
        "hireDate",
        [
            ["000000101", "Amélie", "Tremblay", 1500.00m, D(2010, 5, 3), null, "Finance"],
            ["000000102", "Benoît", "Gagnon", 750.50m, D(2011, 7, 18), null, "Payroll"],
            ["000000103", "Chloé", "Roy", 2000m, D(2012, 1, 9), null, "Operations"],
            ["000000104", "David", "Côté", 125.25m, D(2013, 11, 25), null, "Sales"],
            ["000000105", "Émilie", "Bouchard", null, D(2014, 2, 14), null, "Finance"],
            ["000000106", "François", "Gauthier", null, D(2015, 6, 1), null, "IT"],
            ["000000107", "Gabriel", "Morin", null, D(2016, 8, 22), null, "Payroll"],
            ["000000108", "Hélène", "Lavoie", null, D(2017, 3, 13), D(2020, 12, 31), "Sales"],
            ["000000109", "Isaac", "Fortin", null, D(2018, 9, 4), D(2022, 4, 30), "Operations"],
            ["000000110", "Jasmine", "O'Brien", null, D(2019, 10, 7), D(2024, 1, 15), "IT"],
        ]);

    public static readonly Report Empty = new TableReport("Empty", ["employeeNo"], "employeeNo", []);

    /// <summary>
    /// Values a file writer must quote or unescape: commas, semicolons, quotes, line breaks, a tab, non-ASCII text;
    /// "note" is missing from the last row and "amount" from the third.
    /// </summary>
    public static readonly Report Awkward = new TableReport("Awkward",
        ["employeeNo", "name", "note", "amount"],
        "employeeNo",
        [
            ["000000201", "Tremblay, Amélie", "said \"hello\"", 1234.50m],
            ["000000202", "Roy", "line one\r\nline two", -0.001m],
            ["000000203", "O'Brien; Côté", "tab\there, then a lone\nnewline", null],
            ["000000204", "Ünïcødé 日本", null, 0.0000001m],
        ]);

    /// <summary>
    /// Values that must arrive exactly as sent: amounts beyond Double's precision, an integer, and date-times with
    /// no offset, Z, a zero, a negative and a non-whole-hour offset (in Avanti's form, seven fractional digits).
    /// </summary>
    public static readonly Report Values = new TableReport("Values",
        ["employeeNo", "amount", "rate", "count", "hireDate", "noOffset", "utc", "toronto", "kolkata", "stJohns"],
        "employeeNo",
        [
            ["000000011", 12345678901234567.89m, 0.10m, 42, D(1992, 3, 6), "1992-03-06T00:00:00", "2024-03-10T02:30:00.0000000Z",
                "2024-11-03T01:30:00.0000000-05:00", "2024-01-01T00:00:00.0000000+05:30", "2024-07-01T23:59:59.1234567-02:30"],
            ["000000012", -0.01m, 28.75m, 0, D(1990, 2, 28), "1990-02-28T00:00:00", "1990-02-28T00:00:00.0000000Z",
                "1990-02-28T00:00:00.0000000-05:00", "1990-02-28T00:00:00.0000000+05:30", "1990-02-28T00:00:00.0000000-03:30"],
        ]);

    /// <summary>Columns named like members every object has (methods, and PowerShell's intrinsic members).</summary>
    public static readonly Report MemberNames = new TableReport("MemberNames",
        ["employeeNo", "GetType", "ToString", "Equals", "GetHashCode", "PSObject", "psbase", "psadapted", "psextended", "pstypenames"],
        "employeeNo",
        [
            ["000000011", "type-1", "text-1", "equals-1", "hash-1", "pso-1", "base-1", "adapted-1", "extended-1", "names-1"],
            ["000000012", "type-2", "text-2", "equals-2", "hash-2", "pso-2", "base-2", "adapted-2", "extended-2", "names-2"],
        ]);

    private static readonly Report[] Fixed = [WageSample, LateColumn, Empty, Awkward, Values, MemberNames];

    /// <summary>The report with this ID, or null for an unknown or unprintable ID (Avanti answers both alike).</summary>
    public static Report Find(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        id = id.Trim();
        var known = Fixed.FirstOrDefault(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
        if (known != null) return known;
        if (id.Length > 2 && id.StartsWith("HR", StringComparison.OrdinalIgnoreCase) &&
            long.TryParse(id.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) &&
            rows <= MaxHrRows)
        {
            return new HrReport(rows);
        }
        return null;
    }

    /// <summary>What GET /_sandbox/info says about the reports.</summary>
    public static object Describe() => new
    {
        wageSample = new { id = WageSample.Id, rows = WageSample.RowCount, columns = WageSample.Columns },
        lateColumn = new
        {
            id = LateColumn.Id,
            rows = LateColumn.RowCount,
            columns = LateColumn.Columns,
            note = "bonus only on rows 1-4; terminationDate only on rows 8-10",
        },
        empty = new { id = Empty.Id, rows = 0 },
        awkward = new { id = Awkward.Id, rows = Awkward.RowCount, columns = Awkward.Columns, note = "values with delimiters, quotes, line breaks and non-ASCII text" },
        values = new { id = Values.Id, rows = Values.RowCount, columns = Values.Columns, note = "exact decimals; date-times with no offset, Z, -05:00, +05:30, -02:30/-03:30" },
        memberNames = new { id = MemberNames.Id, rows = MemberNames.RowCount, columns = MemberNames.Columns },
        hr = new
        {
            id = "HR<N>",
            maxRows = MaxHrRows,
            columns = HrReport.ColumnNames,
            note = "row r (1-based): employeeNo = r as 9 digits; no middleName when r % 11 == 0; " +
                   "terminationDate only when r % 7 == 0 (those rows have active=false); deterministic bytes",
        },
        unprintable = UnprintableId,
    };

    /// <summary>
    /// Writes the matching rows as a JSON array straight into the response pipe, flushing
    /// every 64 KB: memory stays flat and the first bytes leave at once, whatever the size.
    /// </summary>
    public static async Task Stream(HttpContext ctx, Report report, ReportFilter filter)
    {
        var cancel = ctx.RequestAborted;
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var pipe = ctx.Response.BodyWriter;
        using var w = new Utf8JsonWriter(pipe, StreamOptions);
        long flushedAt = 0;
        var checkFilter = !filter.IsEmpty;

        w.WriteStartArray();
        for (long row = 0; row < report.RowCount; row++)
        {
            if (checkFilter && !filter.Matches(report, row)) continue;
            report.WriteRow(w, row);
            if (w.BytesCommitted + w.BytesPending - flushedAt >= FlushEveryBytes)
            {
                w.Flush();
                flushedAt = w.BytesCommitted;
                var result = await pipe.FlushAsync(cancel);
                if (result.IsCanceled || result.IsCompleted)
                {
                    // The client went away mid-report.
                    if (RequestLog.Current(ctx) is { } entry) entry.Aborted = true;
                    return;
                }
            }
        }
        w.WriteEndArray();
        w.Flush();
        await pipe.FlushAsync(cancel);
    }

    private static DateTime D(int year, int month, int day) => new(year, month, day);

    /// <summary>A small report held in memory; null cells are left out of their row.</summary>
    private sealed class TableReport : Report
    {
        private readonly string[] _columns;
        private readonly JsonEncodedText[] _names;
        private readonly object[][] _rows;
        private readonly int _dateColumn;

        public TableReport(string id, string[] columns, string dateColumn, object[][] rows)
        {
            Id = id;
            _columns = columns;
            _names = columns.Select(c => JsonEncodedText.Encode(c)).ToArray();
            _rows = rows;
            DateColumn = dateColumn;
            _dateColumn = Array.IndexOf(columns, dateColumn);
        }

        public override string Id { get; }
        public override IReadOnlyList<string> Columns => _columns;
        public override long RowCount => _rows.Length;
        public override string DateColumn { get; }

        public override RowKeys Keys(long row)
        {
            var cells = _rows[row];
            var active = Array.IndexOf(_columns, "active") is var a and >= 0 ? cells[a] as bool? : null;
            var payGroup = Array.IndexOf(_columns, "payGroup") is var p and >= 0 ? cells[p] as string : null;
            var date = _dateColumn >= 0 && cells[_dateColumn] is DateTime d ? d : DateTime.MinValue;
            return new RowKeys((string)cells[0], date, active, payGroup);
        }

        public override void WriteRow(Utf8JsonWriter w, long row)
        {
            var cells = _rows[row];
            w.WriteStartObject();
            for (var i = 0; i < _columns.Length; i++)
            {
                switch (cells[i])
                {
                    case null: break;
                    case string s: w.WriteString(_names[i], s); break;
                    case decimal m: w.WriteNumber(_names[i], m); break;
                    case int n: w.WriteNumber(_names[i], n); break;
                    case bool b: w.WriteBoolean(_names[i], b); break;
                    case DateTime d: w.WriteString(_names[i], Json.ReportDate(d)); break;
                    default: throw new InvalidOperationException($"Unsupported cell type {cells[i].GetType()}");
                }
            }
            w.WriteEndObject();
        }
    }
}

/// <summary>
/// HR&lt;N&gt;: N generated HR rows, 15 columns, computed from the row number alone so
/// the same N always gives the same bytes, and nothing is held in memory.
/// </summary>
public sealed class HrReport(long rows) : Report
{
    public static readonly string[] ColumnNames =
    [
        "employeeNo", "firstName", "middleName", "lastName", "email", "province", "department",
        "position", "payGroup", "hireDate", "terminationDate", "active", "hoursPerWeek", "hourlyRate", "birthDate",
    ];

    private static readonly JsonEncodedText[] N = ColumnNames.Select(c => JsonEncodedText.Encode(c)).ToArray();

    private static readonly string[] FirstNames =
    [
        "Alexandra", "Benoît", "Chloé", "David", "Émilie", "François", "Gabriel", "Hélène", "Isaac", "Jasmine",
        "Kevin", "Léa", "Mathieu", "Nadia", "Olivier", "Priya", "Quentin", "Rosalie", "Samuel", "Thérèse",
        "Umar", "Victor", "William", "Xavier", "Yasmine", "Zoé",
    ];
    private static readonly string[] MiddleNames = ["Marie", "Jean", "Anne", "Louis", "Claire", "Paul", "Rose", "Pierre", "Ann", "Lee"];
    private static readonly string[] LastNames =
    [
        "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
        "Smith", "Brown", "Wilson", "MacDonald", "Taylor", "Campbell", "Anderson", "Leblanc", "Singh", "Nguyen",
        "Chen", "O'Brien", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Girard", "Martin", "Thompson",
    ];
    private static readonly string[] FirstAscii = FirstNames.Select(Ascii).ToArray();
    private static readonly string[] LastAscii = LastNames.Select(Ascii).ToArray();
    private static readonly string[] Provinces = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];
    private static readonly string[] Departments =
    [
        "Finance", "Human Resources", "Payroll", "Operations", "Sales", "Marketing",
        "Information Technology", "Customer Service", "Warehouse", "Legal", "Engineering",
    ];
    private static readonly string[] Positions = ["1000", "1100", "2000", "2500", "3000", "4100", "5200", "9001", "9003"];
    private static readonly string[] PayGroups = ["001", "002", "003", "999"];
    private static readonly int[] Hours = [40, 37, 35, 20, 30];
    private static readonly DateTime HireBase = new(1990, 1, 1);
    private static readonly DateTime BirthBase = new(1950, 1, 1);
    private static readonly DateTime LastDate = new(2025, 6, 30);

    public override string Id => $"HR{rows}";
    public override IReadOnlyList<string> Columns => ColumnNames;
    public override long RowCount => rows;
    public override string DateColumn => "hireDate";

    public override RowKeys Keys(long row)
    {
        var r = row + 1;
        var h = Hash(r);
        return new RowKeys(r.ToString("D9", CultureInfo.InvariantCulture), HireDate(h), r % 7 != 0, PayGroups[(h >> 5) % 4]);
    }

    public override void WriteRow(Utf8JsonWriter w, long row)
    {
        var r = row + 1;
        var h = Hash(r);
        Span<char> text = stackalloc char[64];

        w.WriteStartObject();
        r.TryFormat(text, out var len, "D9", CultureInfo.InvariantCulture);
        w.WriteString(N[0], text[..len]);
        var first = (int)(h % (ulong)FirstNames.Length);
        var last = (int)((h >> 16) % (ulong)LastNames.Length);
        w.WriteString(N[1], FirstNames[first]);
        if (r % 11 != 0) w.WriteString(N[2], MiddleNames[(h >> 8) % (ulong)MiddleNames.Length]);
        w.WriteString(N[3], LastNames[last]);
        w.WriteString(N[4], $"{FirstAscii[first]}.{LastAscii[last]}{r}@abcinc.example");
        w.WriteString(N[5], Provinces[(h >> 24) % (ulong)Provinces.Length]);
        w.WriteString(N[6], Departments[(h >> 28) % (ulong)Departments.Length]);
        w.WriteString(N[7], Positions[(h >> 32) % (ulong)Positions.Length]);
        w.WriteString(N[8], PayGroups[(h >> 5) % 4]);
        var hire = HireDate(h);
        WriteDate(w, N[9], hire, text);
        var terminated = r % 7 == 0;
        if (terminated)
        {
            var end = hire.AddDays(30 + (int)((h >> 12) % 2000));
            WriteDate(w, N[10], end > LastDate ? LastDate : end, text);
        }
        w.WriteBoolean(N[11], !terminated);
        w.WriteNumber(N[12], Hours[(h >> 40) % (ulong)Hours.Length]);
        w.WriteNumber(N[13], 16.55m + (long)((h >> 3) % 6000) / 100m);
        WriteDate(w, N[14], BirthBase.AddDays((int)((h >> 44) % 18000)), text);
        w.WriteEndObject();
    }

    private static DateTime HireDate(ulong h) => HireBase.AddDays((int)((h >> 4) % 12400));

    private static void WriteDate(Utf8JsonWriter w, JsonEncodedText name, DateTime date, Span<char> buffer)
    {
        date.TryFormat(buffer, out var len, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        "+00:00".AsSpan().CopyTo(buffer[len..]);
        w.WriteString(name, buffer[..(len + 6)]);
    }

    // SplitMix64: cheap, well-mixed and stable across runs and platforms.
    private static ulong Hash(long r)
    {
        var z = (ulong)r * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static string Ascii(string name)
    {
        var chars = name.ToLowerInvariant().Where(char.IsLetter).Select(c => c switch
        {
            'à' or 'â' or 'ä' => 'a',
            'é' or 'è' or 'ê' or 'ë' => 'e',
            'î' or 'ï' => 'i',
            'ô' or 'ö' => 'o',
            'ù' or 'û' or 'ü' => 'u',
            'ç' => 'c',
            _ => c,
        });
        return new string(chars.ToArray());
    }
}
