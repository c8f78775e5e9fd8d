namespace AvantiPS.Sandbox;

/// <summary>One Avanti tenant as the sandbox knows it: its company database, API client and user.</summary>
public sealed record SandboxIdentity(
    string Tenant,
    string Company,
    string CompanyName,
    string ClientId,
    string ClientSecret,
    string Username,
    string Password,
    string EmployeeNo);

/// <summary>The fixed identities the sandbox accepts. Tests read them from GET /_sandbox/info.</summary>
public static class Identities
{
    public const string ClientId = "AvantiPS-Sandbox";
    public const string ClientSecret = "sandbox-client-secret-7f3a";

    public static readonly SandboxIdentity AbcInc = new(
        "abcinc", "AVANTI_SANDBOX", "ABC Inc. (Sandbox)", ClientId, ClientSecret,
        "apiuser", "sandbox-password-91c2", "000001005");

    public static readonly SandboxIdentity XyzCorp = new(
        "xyzcorp", "XYZ_PAYROLL", "XYZ Corp Payroll (Sandbox)", ClientId, ClientSecret,
        "xyzuser", "xyz-password-55d1", "000000021");

    public static readonly IReadOnlyList<SandboxIdentity> All = [AbcInc, XyzCorp];

    /// <summary>Tenants are matched case-insensitively, as Avanti does for its sub-domains.</summary>
    public static SandboxIdentity FindTenant(string tenant) =>
        All.FirstOrDefault(i => string.Equals(i.Tenant, tenant, StringComparison.OrdinalIgnoreCase));

    public static SandboxIdentity FindCompany(string company) =>
        All.FirstOrDefault(i => string.Equals(i.Company, company, StringComparison.OrdinalIgnoreCase));
}
