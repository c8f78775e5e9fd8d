namespace AvantiPS.Sandbox;

/// <summary>A change an API call made, as GET /_sandbox/changes lists it.</summary>
public sealed record Change(string Time, string Company, string Operation, string EmpNo, int? DependentNo, string Body);

/// <summary>Records what write operations did, so tests can assert on them. Thread-safe.</summary>
public sealed class ChangeLog
{
    private readonly List<Change> _changes = new();
    private readonly object _gate = new();

    public void Add(string company, string operation, string empNo, int? dependentNo = null, string body = null)
    {
        var time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate) _changes.Add(new Change(time, company, operation, empNo, dependentNo, body));
    }

    public Change[] Snapshot()
    {
        lock (_gate) return _changes.ToArray();
    }

    public void Clear()
    {
        lock (_gate) _changes.Clear();
    }
}
