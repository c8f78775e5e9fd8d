using System;
using AvantiPS.Connections;
using Xunit;

namespace AvantiPS.Tests
{
    public class AvantiAddressTests
    {
        [Theory]
        [InlineData("https://abcinc.myavanti.ca", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api", "https://auth.myavanti.ca/connect/token")]
        [InlineData("https://ABCInc.MyAvanti.ca/", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api", "https://auth.myavanti.ca/connect/token")]
        [InlineData("https://abcinc.myavanti.ca/api/", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api", "https://auth.myavanti.ca/connect/token")]
        [InlineData("https://myavanti.ca/ABCInc", "ABCInc", UrlLayout.Legacy, "https://myavanti.ca/ABCInc-api", "https://myavanti.ca/ABCInc-api/connect/token")]
        [InlineData("https://MYAVANTI.CA/ABCInc/", "ABCInc", UrlLayout.Legacy, "https://myavanti.ca/ABCInc-api", "https://myavanti.ca/ABCInc-api/connect/token")]
        [InlineData("https://myavanti.ca/ABCInc-api", "ABCInc", UrlLayout.Legacy, "https://myavanti.ca/ABCInc-api", "https://myavanti.ca/ABCInc-api/connect/token")]
        [InlineData("https://myavanti.ca/abcinc-API/", "abcinc", UrlLayout.Legacy, "https://myavanti.ca/abcinc-api", "https://myavanti.ca/abcinc-api/connect/token")]
        [InlineData("http://127.0.0.1:5000/abcinc", "abcinc", UrlLayout.Legacy, "http://127.0.0.1:5000/abcinc-api", "http://127.0.0.1:5000/abcinc-api/connect/token")]
        public void Portal_addresses_give_tenant_layout_and_urls(string portal, string tenant, UrlLayout layout, string apiBase, string token)
        {
            AvantiAddress address = AvantiAddress.FromPortalUri(new Uri(portal));
            Assert.Equal(tenant, address.Tenant);
            Assert.Equal(layout, address.Layout);
            Assert.Equal(apiBase, address.BaseUri.AbsoluteUri);
            Assert.Equal(token, address.TokenUri.AbsoluteUri);
            Assert.Equal(layout == UrlLayout.Latest, address.SendsTenantHeader);
        }

        [Theory]
        [InlineData("https://example.com/abcinc")]
        [InlineData("https://auth.myavanti.ca")]
        [InlineData("https://myavanti.ca")]
        [InlineData("https://myavanti.ca/a/b")]
        [InlineData("https://abcinc.myavanti.ca/portal/x")]
        [InlineData("https://a.b.myavanti.ca")]
        [InlineData("ftp://myavanti.ca/abcinc")]
        [InlineData("https://myavanti.ca.evil.example/abcinc")]
        public void Other_addresses_are_refused_with_the_accepted_forms(string portal)
        {
            var error = Assert.Throws<AvantiAddressException>(() => AvantiAddress.FromPortalUri(new Uri(portal)));
            Assert.Contains("https://abcinc.myavanti.ca", error.Message);
        }

        [Theory]
        [InlineData("abcinc.myavanti.ca", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api")]
        [InlineData("ABCInc.myavanti.ca/", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api")]
        [InlineData("abcinc.myavanti.ca:443", "abcinc", UrlLayout.Latest, "https://abcinc.myavanti.ca/api")]
        [InlineData("myavanti.ca/ABCInc", "ABCInc", UrlLayout.Legacy, "https://myavanti.ca/ABCInc-api")]
        [InlineData("  myavanti.ca/ABCInc-api  ", "ABCInc", UrlLayout.Legacy, "https://myavanti.ca/ABCInc-api")]
        public void An_address_without_a_scheme_is_taken_as_https(string portal, string tenant, UrlLayout layout, string apiBase)
        {
            AvantiAddress address = AvantiAddress.FromPortalUri(new Uri(portal, UriKind.RelativeOrAbsolute));
            Assert.Equal(tenant, address.Tenant);
            Assert.Equal(layout, address.Layout);
            Assert.Equal(apiBase, address.BaseUri.AbsoluteUri);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("abcinc")]
        [InlineData("not an address")]
        [InlineData("mailto:someone")]
        [InlineData("example.com/abcinc")]
        public void An_empty_or_unusable_address_is_an_address_error_with_an_example(string portal)
        {
            var error = Assert.Throws<AvantiAddressException>(() => AvantiAddress.FromPortalUri(new Uri(portal, UriKind.RelativeOrAbsolute)));
            Assert.Contains("https://abcinc.myavanti.ca", error.Message);
        }

        [Fact]
        public void Relative_overrides_are_address_errors()
        {
            Assert.Throws<AvantiAddressException>(() => AvantiAddress.ForTenant("abcinc", UrlLayout.Latest, new Uri("abcinc.myavanti.ca/api", UriKind.Relative)));
            Assert.Throws<AvantiAddressException>(() => AvantiAddress.ForTenant("abcinc", UrlLayout.Latest, null, new Uri("connect/token", UriKind.Relative)));
        }

        [Fact]
        public void Plain_http_is_refused_off_loopback()
        {
            var error = Assert.Throws<AvantiAddressException>(() => AvantiAddress.FromPortalUri(new Uri("http://abcinc.myavanti.ca")));
            Assert.Contains("https", error.Message);
            Assert.Throws<AvantiAddressException>(() => AvantiAddress.ForTenant("abcinc", UrlLayout.Latest, new Uri("http://proxy.example/api")));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("abc inc")]
        [InlineData("abc.inc")]
        [InlineData("-abc")]
        [InlineData("abc/../x")]
        public void Tenants_must_be_host_labels(string tenant)
        {
            Assert.Throws<AvantiAddressException>(() => AvantiAddress.ForTenant(tenant, UrlLayout.Latest));
        }

        [Fact]
        public void Uris_escape_every_query_name_and_value()
        {
            AvantiAddress address = AvantiAddress.ForTenant("abcinc", UrlLayout.Latest);
            Uri uri = address.BuildUri("/v1/PersonalInfo", new[] { new System.Collections.Generic.KeyValuePair<string, string>("empNo", "a&b=c d") });
            Assert.Equal("https://abcinc.myavanti.ca/api/v1/PersonalInfo?empNo=a%26b%3Dc%20d", uri.AbsoluteUri);
        }

        [Theory]
        [InlineData("..")]
        [InlineData(".")]
        [InlineData("../admin")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("a\nb")]
        public void Path_segments_that_would_change_the_path_are_refused(string value)
        {
            Assert.Throws<ArgumentException>(() => AvantiAddress.EscapePathSegment(value, "report ID"));
        }

        [Fact]
        public void Path_segments_are_escaped()
        {
            Assert.Equal("%252e%252e", AvantiAddress.EscapePathSegment("%2e%2e", "report ID"));
            Assert.Equal("Wage%20Sample%3F", AvantiAddress.EscapePathSegment("Wage Sample?", "report ID"));
        }
    }
}
