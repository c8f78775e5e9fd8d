using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AvantiPS.Sandbox;

/// <summary>
/// The employees of one company database, as GET/PUT /v1/PersonalInfo and POST /v1/Employees
/// see them. Each employee is a JSON object shaped like the contract's Employee schema
/// (plus "company", so tests can tell connections apart). Thread-safe.
/// </summary>
public sealed class EmployeeDirectory
{
    /// <summary>Fields PUT /v1/PersonalInfo may change (per the contract's description).</summary>
    public static readonly string[] UpdatableFields =
    [
        "givenName", "surname", "initial", "preferredName", "previousSurname",
        "address1", "address2", "city", "province", "country", "postal",
        "birthDate", "firstLanguage", "gender", "email",
        "phoneType1", "phoneNumber1", "phoneType2", "phoneNumber2",
        "phoneType3", "phoneNumber3", "phoneType4", "phoneNumber4",
    ];

    private static readonly string[] GivenNames =
    [
        "Olivia", "Noah", "Emma", "Liam", "Charlotte", "William", "Florence", "Thomas", "Léa", "Jacob",
        "Alice", "Nathan", "Zoé", "Félix", "Rosalie", "Raphaël", "Ava", "Logan", "Maëlle", "Arjun",
    ];
    private static readonly string[] Surnames =
    [
        "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
        "Smith", "Brown", "Wilson", "MacDonald", "Taylor", "Campbell", "Singh", "Nguyen", "Chen", "Girard",
    ];
    private static readonly (string City, string Province, string Postal)[] Cities =
    [
        ("Regina", "SK", "S4P 3Y2"), ("Toronto", "ON", "M5V 2T6"), ("Montréal", "QC", "H2Y 1C6"),
        ("Calgary", "AB", "T2P 1J9"), ("Vancouver", "BC", "V6B 1A1"), ("Halifax", "NS", "B3J 1S9"),
        ("Winnipeg", "MB", "R3C 0V8"), ("Saskatoon", "SK", "S7K 1J5"),
    ];

    private readonly object _gate = new();
    private readonly SandboxIdentity _identity;
    private List<JsonObject> _employees;

    public EmployeeDirectory(SandboxIdentity identity)
    {
        _identity = identity;
        Reset();
    }

    public void Reset()
    {
        var employees = _identity == Identities.AbcInc ? AbcIncEmployees() : XyzCorpEmployees();
        lock (_gate) _employees = employees;
    }

    /// <summary>A copy of the employee, or null when this company has no such employee number.</summary>
    public JsonObject Find(string empNo)
    {
        lock (_gate)
        {
            var employee = _employees.FirstOrDefault(e => (string)e["empNo"] == empNo);
            return (JsonObject)employee?.DeepClone();
        }
    }

    public List<JsonObject> All()
    {
        lock (_gate) return _employees.Select(e => (JsonObject)e.DeepClone()).ToList();
    }

    /// <summary>Applies the updatable fields present in <paramref name="body"/>; false when the employee is unknown.</summary>
    public bool Update(string empNo, JsonElement body)
    {
        lock (_gate)
        {
            var employee = _employees.FirstOrDefault(e => (string)e["empNo"] == empNo);
            if (employee == null) return false;
            foreach (var property in body.EnumerateObject())
            {
                var field = UpdatableFields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
                if (field != null) employee[field] = JsonNode.Parse(property.Value.GetRawText());
            }
            employee["fullName"] = $"{(string)employee["givenName"]} {(string)employee["surname"]}";
            return true;
        }
    }

    private List<JsonObject> AbcIncEmployees()
    {
        // 000000011-000000018 match the WageSample report; 000001005 is apiuser's own record.
        var list = new List<JsonObject>
        {
            Make("000000011", "Marie", "Tremblay", "3000", "Payroll Clerk", "001", new(1992, 3, 6), true, 0),
            Make("000000012", "Jean", "Gagnon", "9001", "Warehouse Lead", "001", new(1990, 2, 28), false, 1),
            Make("000000013", "Sophie", "Roy", "9001", "Warehouse Lead", "001", new(2000, 1, 1), true, 2),
            Make("000000014", "Luc", "Côté", "9003", "Controller", "999", new(1990, 1, 1), true, 3),
            Make("000000015", "Amélie", "Bouchard", "3000", "Payroll Clerk", "003", new(2015, 1, 27), true, 4),
            Make("000000016", "Olivier", "Gauthier", "4100", "Sales Associate", "002", new(2018, 6, 11), false, 5),
            Make("000000017", "Priya", "Singh", "4100", "Sales Associate", "002", new(2021, 9, 20), true, 6),
            Make("000000018", "Liam", "MacDonald", "5200", "Analyst", "003", new(2023, 4, 3), true, 7),
        };
        for (var n = 100; n < 341; n++) list.Add(Generated(n, seed: 0));
        list.Add(Make("000001005", "Alex", "Martin", "1000", "HR Administrator", "001", new(2012, 9, 4), true, 8,
            userName: _identity.Username));
        return list.OrderBy(e => (string)e["empNo"], StringComparer.Ordinal).ToList();
    }

    private List<JsonObject> XyzCorpEmployees()
    {
        var list = new List<JsonObject>();
        for (var n = 11; n <= 40; n++)
        {
            var employee = Generated(n, seed: 7);
            if (n == 21) employee["userName"] = _identity.Username;
            list.Add(employee);
        }
        return list;
    }

    private JsonObject Generated(int n, int seed)
    {
        var mix = unchecked((uint)n * 2654435761u + (uint)seed * 40503u);
        var given = GivenNames[mix % GivenNames.Length];
        var surname = Surnames[(mix >> 12) % Surnames.Length];
        var hire = new DateTime(1995, 1, 1).AddDays((n * 389 + seed * 11) % 10000);
        return Make(n.ToString("D9", CultureInfo.InvariantCulture), given, surname, "2000", "Clerk",
            ((n % 3) + 1).ToString("D3", CultureInfo.InvariantCulture), hire, n % 9 != 0, n + seed);
    }

    private JsonObject Make(string empNo, string given, string surname, string position, string positionName,
        string payGroup, DateTime hireDate, bool active, int variant, string userName = null)
    {
        var (city, province, postal) = Cities[variant % Cities.Length];
        var email = $"{Ascii(given)}.{Ascii(surname)}@{_identity.Tenant}.example";
        return new JsonObject
        {
            ["empNo"] = empNo,
            ["userName"] = userName,
            ["givenName"] = given,
            ["surname"] = surname,
            ["initial"] = ((char)('A' + variant % 26)).ToString(),
            ["preferredName"] = null,
            ["previousSurname"] = null,
            ["address1"] = $"{100 + variant * 17} Main Street",
            ["address2"] = null,
            ["city"] = city,
            ["province"] = province,
            ["country"] = "CAN",
            ["postal"] = postal,
            ["birthDate"] = Json.EntityDate(new DateTime(1960, 1, 1).AddDays(variant * 523 % 14000)),
            ["seniorityDate"] = Json.EntityDate(hireDate),
            ["firstLanguage"] = province == "QC" ? "F" : "E",
            ["gender"] = (variant % 3) switch { 0 => "F", 1 => "M", _ => "X" },
            ["marital"] = "S",
            ["sin"] = "*****" + (1000 + variant * 37 % 9000).ToString(CultureInfo.InvariantCulture),
            ["temporarySin"] = false,
            ["phoneType1"] = 2,
            ["phoneNumber1"] = $"(306) 555-{(100 + variant) % 10000:D4}",
            ["phoneType2"] = 0,
            ["phoneNumber2"] = null,
            ["email"] = email,
            ["emailType1"] = 1,
            ["email1"] = email,
            ["initialHireDate"] = Json.EntityDate(hireDate),
            ["lastHireDate"] = Json.EntityDate(hireDate),
            ["vacDate"] = Json.EntityDate(hireDate),
            ["position"] = position,
            ["positionName"] = positionName,
            ["positionNameFr"] = null,
            ["active"] = active,
            ["webStatements"] = true,
            ["payGroup"] = payGroup,
            ["location"] = "HQ",
            ["provinceEmployed"] = province,
            ["fte"] = 1.0,
            ["fullName"] = $"{given} {surname}",
            ["company"] = _identity.Company,
            ["companyName"] = _identity.CompanyName,
        };
    }

    private static string Ascii(string name) => new(name.ToLowerInvariant().Select(c => c switch
    {
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'à' or 'â' => 'a',
        'ô' => 'o',
        'ç' => 'c',
        'ï' or 'î' => 'i',
        _ => c,
    }).Where(char.IsAsciiLetterOrDigit).ToArray());
}
