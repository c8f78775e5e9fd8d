namespace AvantiPS.Sandbox;

/// <summary>The request-body schemas of main.v1.json that the sandbox validates.</summary>
public static class Schemas
{
    private static FieldSpec Str => new(FieldKind.String, Nullable: true);
    private static FieldSpec Bool => new(FieldKind.Bool);
    private static FieldSpec NullableBool => new(FieldKind.Bool, Nullable: true);
    private static FieldSpec Int => new(FieldKind.Int);
    private static FieldSpec Number => new(FieldKind.Number, Nullable: true);
    private static FieldSpec Date => new(FieldKind.DateTime);
    private static FieldSpec NullableDate => new(FieldKind.DateTime, Nullable: true);
    private static FieldSpec Strings => new(FieldKind.StringArray, Nullable: true);
    private static FieldSpec Enum(string name, params int[] values) => new(FieldKind.Enum, TypeName: name, EnumValues: values);

    private static readonly BodySchema Filter = new("Filter", allowUnknown: false, new Dictionary<string, FieldSpec>
    {
        ["table"] = Str, ["id"] = Int, ["description"] = Str, ["letter"] = Str, ["fieldName"] = Str,
        ["condition"] = Int, ["value"] = Str, ["valueType"] = Int, ["conjunction"] = Int,
        ["openingBrackets"] = Int, ["closingBrackets"] = Int,
    });

    private static readonly BodySchema PaperSize = new("PaperSize", allowUnknown: false, new Dictionary<string, FieldSpec>
    {
        ["height"] = Int, ["kind"] = Int, ["paperName"] = Str, ["rawKind"] = Int, ["width"] = Int,
    });

    /// <summary>ReportOptions (POST /v1/Reporter); additionalProperties is false in the contract.</summary>
    public static readonly BodySchema ReportOptions = new("ReportOptions", allowUnknown: false, new Dictionary<string, FieldSpec>
    {
        ["id"] = Str, ["format"] = Str, ["allEmployees"] = Bool, ["fromEmpNo"] = Str, ["toEmpNo"] = Str,
        ["active"] = NullableBool, ["inactive"] = NullableBool, ["allDates"] = Bool,
        ["fromDate"] = NullableDate, ["toDate"] = NullableDate,
        ["dateType"] = Enum("ReporterDateRangeTypes", 0, 1),
        ["payRunType"] = Enum("ReporterPayRunTypes", 0, 1, 2),
        ["printThisReportOnly"] = Bool, ["overrideReportSelection"] = Bool,
        ["allPayGroups"] = Bool, ["selectedPayGroups"] = Strings,
        ["allLocations"] = Bool, ["selectedLocations"] = Strings,
        ["isEmployeeReport"] = Bool, ["title"] = Str, ["footer"] = Str, ["landscape"] = Bool,
        ["marginTop"] = Number, ["marginRight"] = Number, ["marginBottom"] = Number, ["marginLeft"] = Number,
        ["suppressBlankLines"] = Bool, ["suppressHeadings"] = Bool,
        ["filters"] = new(FieldKind.ObjectArray, Nullable: true, Items: Filter),
        ["paperSize"] = new(FieldKind.Object, Nullable: true, Items: PaperSize),
        ["merge"] = Bool, ["isValidated"] = Bool,
    });

    /// <summary>EmployeeRequest (POST /v1/Employees).</summary>
    public static readonly BodySchema EmployeeRequest = new("EmployeeRequest", allowUnknown: false, new Dictionary<string, FieldSpec>
    {
        ["skip"] = Int, ["take"] = Int, ["empNoReference"] = Str, ["search"] = Str, ["total"] = Bool,
        ["active"] = Enum("ActiveStatus", 0, 1, 2),
        ["sortOrder"] = Enum("EmployeeSortOrder", 0, 1, 2),
        ["sortDirection"] = Enum("SortDirection", 0, 1),
        ["takeOption"] = Enum("TakeOption", 0, 1, 2),
        ["locations"] = Strings, ["employmentStatus"] = Strings, ["positions"] = Strings,
        ["sortDefinitions"] = new(FieldKind.ObjectArray, Nullable: true,
            Items: new BodySchema("SortDefinition", allowUnknown: false,
                new Dictionary<string, FieldSpec> { ["field"] = Str, ["dir"] = Str })),
    });

    /// <summary>
    /// Employee (PUT /v1/PersonalInfo). Unknown properties are ignored, as ASP.NET Core does by
    /// default, so a GET-modify-PUT round trip (with "company") is accepted.
    /// </summary>
    public static readonly BodySchema Employee = new("Employee", allowUnknown: true, EmployeeFields());

    /// <summary>Fields checked for a valid address (error code invalid_email).</summary>
    public static readonly string[] EmailFields = ["email", "email1", "email2", "email3", "email4", "email5"];

    /// <summary>Maximum lengths the sandbox enforces on PUT /v1/PersonalInfo (error code invalid_max_length).</summary>
    public static readonly IReadOnlyDictionary<string, int> EmployeeMaxLengths = EmployeeLimits();

    private static Dictionary<string, FieldSpec> EmployeeFields()
    {
        var fields = new Dictionary<string, FieldSpec>(StringComparer.OrdinalIgnoreCase);
        void Add(FieldSpec spec, params string[] names)
        {
            foreach (var name in names) fields[name] = spec;
        }
        IEnumerable<string> Numbered(string prefix, int from, int to) =>
            Enumerable.Range(from, to - from + 1).Select(i => prefix + i);

        Add(Str, "userName", "givenName", "surname", "initial", "preferredName", "address1", "address2", "city",
            "province", "country", "postal", "firstLanguage", "gender", "marital", "sin", "previousSurname", "email",
            "empNo", "position", "positionName", "positionNameFr", "payGroup", "location", "provinceEmployed",
            "wcbGroup", "vacGroup", "vacCode", "vacEarnCode", "unionCode", "glType", "glGroup", "earnGl",
            "workGroup", "jobStatus", "smoker", "fullName");
        Add(Str, [.. Numbered("phoneNumber", 1, 4), .. Numbered("email", 1, 5), .. Numbered("otherText", 1, 20)]);
        Add(Date, "birthDate", "seniorityDate", "initialHireDate", "vacDate", "lastHireDate");
        Add(NullableDate, ["sinExpiryDate", .. Numbered("otherDate", 1, 12)]);
        Add(Bool, "temporarySin", "active", "webStatements");
        Add(Int, ["employeeNameFormat", .. Numbered("phoneType", 1, 4), .. Numbered("emailType", 1, 5)]);
        Add(new FieldSpec(FieldKind.Int, Nullable: true), "photoRevision");
        Add(new FieldSpec(FieldKind.Number), [
            "fte", "accumServHrs", "prevVacEarn", "prevWcbEarn", "prevVacHrs", "prevWcbHrs", "prevWcbPremHrs",
            .. Numbered("dedFig", 1, 15), .. Numbered("prevMiscEarnAccum", 1, 8),
            .. Numbered("prevMiscUnitsAccum", 1, 2), .. Numbered("prevMiscAccum", 16, 30)]);
        Add(new FieldSpec(FieldKind.Any), "roleAssignmentPermissions");
        return fields;
    }

    private static Dictionary<string, int> EmployeeLimits()
    {
        var limits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["userName"] = 50, ["givenName"] = 30, ["surname"] = 30, ["initial"] = 1, ["preferredName"] = 30,
            ["previousSurname"] = 30, ["address1"] = 40, ["address2"] = 40, ["city"] = 30, ["province"] = 2,
            ["country"] = 3, ["postal"] = 10, ["sin"] = 9, ["firstLanguage"] = 1, ["gender"] = 1, ["marital"] = 1,
        };
        foreach (var email in EmailFields) limits[email] = 100;
        for (var i = 1; i <= 4; i++) limits["phoneNumber" + i] = 20;
        for (var i = 1; i <= 20; i++) limits["otherText" + i] = 126;
        return limits;
    }
}
