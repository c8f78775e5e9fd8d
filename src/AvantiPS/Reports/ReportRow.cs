namespace AvantiPS
{
    /// <summary>
    /// The base of every report row. Each report's column set gets a class of its own, derived from this one and
    /// named AvantiPS.ReportRow#&lt;ReportId&gt;, with one read-write property per column in report order: PowerShell
    /// shows, formats, filters and exports it like any object, and building a row costs a fraction of a
    /// PSCustomObject with note properties (see <see cref="AvantiPS.Reports.ReportRowType"/>).
    /// </summary>
    public abstract class ReportRow
    {
    }
}
