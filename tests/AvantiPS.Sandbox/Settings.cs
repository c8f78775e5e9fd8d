namespace AvantiPS.Sandbox;

/// <summary>Token-service behaviour that tests can change at run time (POST /_sandbox/settings).</summary>
public sealed record SandboxSettings
{
    public static readonly string[] ExpiresInModes = ["string", "number", "garbage", "missing"];
    public static readonly string[] TokenResponseModes = ["json", "html"];

    /// <summary>Lifetime of tokens issued from now on; expiry is enforced to the millisecond.</summary>
    public int TokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>How expires_in is sent: "string" ("3600", as documented), "number", "garbage" ("soon") or "missing".</summary>
    public string ExpiresInMode { get; init; } = "string";

    /// <summary>How many of the next token requests answer 503.</summary>
    public int TokenFailures { get; init; }

    /// <summary>"json" (normal) or "html" (200 text/html instead of a token).</summary>
    public string TokenResponseMode { get; init; } = "json";
}

/// <summary>Thread-safe holder of the current settings. The token-failure budget is consumed atomically.</summary>
public sealed class SettingsStore
{
    private readonly object _gate = new();
    private SandboxSettings _current = new();

    public SandboxSettings Current
    {
        get { lock (_gate) return _current; }
    }

    public void Reset()
    {
        lock (_gate) _current = new SandboxSettings();
    }

    public SandboxSettings Update(Func<SandboxSettings, SandboxSettings> change)
    {
        lock (_gate) return _current = change(_current);
    }

    /// <summary>True when this token request must fail (and uses up one failure).</summary>
    public bool TryConsumeTokenFailure()
    {
        lock (_gate)
        {
            if (_current.TokenFailures <= 0) return false;
            _current = _current with { TokenFailures = _current.TokenFailures - 1 };
            return true;
        }
    }
}
