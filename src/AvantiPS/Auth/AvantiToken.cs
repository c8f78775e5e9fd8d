using System;

namespace AvantiPS.Auth
{
    /// <summary>
    /// An access token as the token cache holds it. The token text is internal and never part of ToString().
    /// </summary>
    internal sealed class AvantiToken
    {
        public AvantiToken(string accessToken, string tokenType, string scope, string company, DateTimeOffset issuedOn, TimeSpan lifetime, LifetimeSource lifetimeSource)
        {
            AccessToken = accessToken;
            TokenType = string.IsNullOrEmpty(tokenType) ? "Bearer" : tokenType;
            Scope = scope;
            Company = company;
            IssuedOn = issuedOn;
            Lifetime = lifetime;
            LifetimeSource = lifetimeSource;
        }

        public string AccessToken { get; }

        public string TokenType { get; }

        public string Scope { get; }

        public string Company { get; }

        public DateTimeOffset IssuedOn { get; }

        public TimeSpan Lifetime { get; }

        public LifetimeSource LifetimeSource { get; }

        public DateTimeOffset ExpiresOn => IssuedOn + Lifetime;

        /// <summary>
        /// How long before expiry the token counts as stale: 5% of its lifetime, at most a minute, so a
        /// request never leaves with a token that expires on the way and short-lived tokens are not renewed early.
        /// </summary>
        public TimeSpan RefreshMargin => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, Lifetime.Ticks / 20));

        public bool IsFresh(DateTimeOffset now) => now < ExpiresOn - RefreshMargin;

        public override string ToString() => TokenType + " token, expires " + ExpiresOn.ToString("u");
    }

    /// <summary>Where a token's lifetime came from.</summary>
    public enum LifetimeSource
    {
        /// <summary>The expires_in field of the token response (a number or a numeric string).</summary>
        ExpiresIn,

        /// <summary>The exp claim of the access token, read because expires_in was missing or unreadable.</summary>
        JwtExpiry,

        /// <summary>Neither was usable; a short default lifetime is assumed and a 401 triggers a new grant.</summary>
        Default,
    }
}
