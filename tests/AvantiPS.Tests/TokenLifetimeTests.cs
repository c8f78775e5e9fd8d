using System;
using System.Text;
using System.Text.Json;
using AvantiPS.Auth;
using Xunit;

namespace AvantiPS.Tests
{
    public class TokenLifetimeTests
    {
        static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

        static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

        static string Jwt(DateTimeOffset exp)
        {
            string Part(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Part("{\"alg\":\"none\"}") + "." + Part("{\"exp\":" + exp.ToUnixTimeSeconds() + "}") + ".sig";
        }

        [Theory]
        [InlineData("{\"expires_in\":\"3600\"}", 3600)]
        [InlineData("{\"expires_in\":3600}", 3600)]
        [InlineData("{\"expires_in\":\"120.5\"}", 120.5)]
        public void Expires_in_is_read_as_number_or_numeric_string(string body, double seconds)
        {
            TimeSpan lifetime = TokenLifetime.Resolve(Json(body), "opaque", Now, out LifetimeSource source);
            Assert.Equal(LifetimeSource.ExpiresIn, source);
            Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
        }

        [Theory]
        [InlineData("{\"expires_in\":\"soon\"}")]
        [InlineData("{}")]
        [InlineData("{\"expires_in\":null}")]
        [InlineData("{\"expires_in\":\"-5\"}")]
        public void Unreadable_expires_in_falls_back_to_the_jwt_exp_claim(string body)
        {
            TimeSpan lifetime = TokenLifetime.Resolve(Json(body), Jwt(Now.AddMinutes(20)), Now, out LifetimeSource source);
            Assert.Equal(LifetimeSource.JwtExpiry, source);
            Assert.Equal(TimeSpan.FromMinutes(20), lifetime);
        }

        [Fact]
        public void Without_expires_in_or_jwt_a_short_default_applies()
        {
            TimeSpan lifetime = TokenLifetime.Resolve(Json("{\"expires_in\":\"soon\"}"), "not-a-jwt", Now, out LifetimeSource source);
            Assert.Equal(LifetimeSource.Default, source);
            Assert.Equal(TokenLifetime.Default, lifetime);
        }

        [Fact]
        public void Tokens_count_as_stale_shortly_before_expiry()
        {
            var hour = new AvantiToken("t", "Bearer", null, "C", Now, TimeSpan.FromHours(1), LifetimeSource.ExpiresIn);
            Assert.True(hour.IsFresh(Now.AddMinutes(58)));
            Assert.False(hour.IsFresh(Now.AddMinutes(59).AddSeconds(1)));
            var twoSeconds = new AvantiToken("t", "Bearer", null, "C", Now, TimeSpan.FromSeconds(2), LifetimeSource.ExpiresIn);
            Assert.True(twoSeconds.IsFresh(Now.AddSeconds(1.8)));
            Assert.False(twoSeconds.IsFresh(Now.AddSeconds(1.95)));
            Assert.DoesNotContain("t,", hour.ToString());
        }
    }
}
