using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace AvantiPS.Sandbox;

/// <summary>What the sandbox remembers about an access token it issued.</summary>
public sealed record IssuedToken(
    string AccessToken,
    SandboxIdentity Identity,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);

/// <summary>Issues JWT-shaped bearer tokens and validates them; counts token requests.</summary>
public sealed class TokenStore
{
    private readonly ConcurrentDictionary<string, IssuedToken> _byToken = new(StringComparer.Ordinal);
    private readonly List<string> _issuedInOrder = new();
    private readonly object _gate = new();
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public IReadOnlyList<string> Issued
    {
        get { lock (_gate) return _issuedInOrder.ToArray(); }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _issuedInOrder.Clear();
            _byToken.Clear();
            Interlocked.Exchange(ref _requests, 0);
        }
    }

    public IssuedToken Issue(SandboxIdentity identity, string deviceId, string issuer, int lifetimeSeconds)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddSeconds(lifetimeSeconds);
        var token = BuildJwt(identity, deviceId, issuer, now, expires);
        var issued = new IssuedToken(token, identity, now, expires);
        lock (_gate)
        {
            _byToken[token] = issued;
            _issuedInOrder.Add(token);
        }
        return issued;
    }

    public IssuedToken Find(string token) =>
        token != null && _byToken.TryGetValue(token, out var issued) ? issued : null;

    // Looks like an IdentityServer access token (header.payload.signature) so clients that
    // peek at the exp claim can, but the signature is random bytes: only this process can
    // validate a token, by looking it up.
    private static string BuildJwt(SandboxIdentity identity, string deviceId, string issuer,
        DateTimeOffset now, DateTimeOffset expires)
    {
        var header = Serialize(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("kid", "AvantiSandbox");
            w.WriteString("typ", "at+jwt");
        });
        var payload = Serialize(w =>
        {
            w.WriteString("iss", issuer);
            w.WriteNumber("nbf", now.ToUnixTimeSeconds());
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteString("aud", "AvantiAPI");
            w.WriteString("scope", "AvantiAPI");
            w.WriteString("client_id", identity.ClientId);
            w.WriteString("sub", identity.Username);
            w.WriteString("tenant", identity.Tenant);
            w.WriteString("company", identity.Company);
            w.WriteString("device_id", deviceId);
            w.WriteString("jti", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        });
        var signature = RandomNumberGenerator.GetBytes(256);
        return $"{Base64Url(header)}.{Base64Url(payload)}.{Base64Url(signature)}";
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Json.WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
