using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AvantiPS.Auth
{
    /// <summary>
    /// Works out how long a token lives. Avanti documents expires_in as a string; servers have sent numbers too,
    /// and a client must survive anything else by falling back to the JWT exp claim and then a short default.
    /// </summary>
    internal static class TokenLifetime
    {
        public static readonly TimeSpan Default = TimeSpan.FromMinutes(5);

        public static TimeSpan Resolve(JsonElement response, string accessToken, DateTimeOffset now, out LifetimeSource source)
        {
            if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("expires_in", out JsonElement expiresIn))
            {
                double seconds = double.NaN;
                if (expiresIn.ValueKind == JsonValueKind.Number)
                {
                    expiresIn.TryGetDouble(out seconds);
                }
                else if (expiresIn.ValueKind == JsonValueKind.String)
                {
                    double.TryParse(expiresIn.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
                }
                if (seconds > 0 && seconds < TimeSpan.FromDays(365).TotalSeconds)
                {
                    source = LifetimeSource.ExpiresIn;
                    return TimeSpan.FromSeconds(seconds);
                }
            }

            if (TryReadJwtExpiry(accessToken, out DateTimeOffset exp) && exp > now)
            {
                source = LifetimeSource.JwtExpiry;
                return exp - now;
            }

            source = LifetimeSource.Default;
            return Default;
        }

        /// <summary>Reads the exp claim of a JWT without validating it: only the lifetime is wanted, the server validates.</summary>
        public static bool TryReadJwtExpiry(string token, out DateTimeOffset expiry)
        {
            expiry = default;
            if (string.IsNullOrEmpty(token)) return false;
            string[] parts = token.Split('.');
            if (parts.Length != 3) return false;
            try
            {
                string payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
                using (JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))))
                {
                    if (doc.RootElement.ValueKind == JsonValueKind.Object
                        && doc.RootElement.TryGetProperty("exp", out JsonElement exp)
                        && exp.ValueKind == JsonValueKind.Number
                        && exp.TryGetInt64(out long seconds))
                    {
                        expiry = DateTimeOffset.FromUnixTimeSeconds(seconds);
                        return true;
                    }
                }
            }
            catch (FormatException) { }
            catch (JsonException) { }
            catch (ArgumentOutOfRangeException) { }
            return false;
        }
    }
}
