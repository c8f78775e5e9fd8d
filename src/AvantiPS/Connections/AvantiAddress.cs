using System;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace AvantiPS.Connections
{
    /// <summary>
    /// The one place that knows Avanti's URL layouts: where the API lives and where tokens come from for a tenant.
    /// </summary>
    public sealed class AvantiAddress
    {
        internal const string AvantiDomain = "myavanti.ca";

        /// <summary>What a usable portal address looks like, for every address error.</summary>
        internal const string AddressAdvice = "Give the Self-Service Portal address your Avanti administrator gave you, such as https://abcinc.myavanti.ca (or abcinc.myavanti.ca), https://myavanti.ca/ABCInc or https://myavanti.ca/ABCInc-api; or give -Tenant (with -UrlLayout Legacy for the older portal).";
        internal static readonly Uri LatestTokenUri = new Uri("https://auth.myavanti.ca/connect/token");
        static readonly Regex HostLabel = new Regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

        AvantiAddress(string tenant, UrlLayout layout, Uri baseUri, Uri tokenUri)
        {
            Tenant = tenant;
            Layout = layout;
            BaseUri = baseUri;
            TokenUri = tokenUri;
        }

        /// <summary>The tenant: the sub-domain (latest) or first path segment (legacy) of the portal address.</summary>
        public string Tenant { get; }

        /// <summary>The URL layout of the tenant's portal.</summary>
        public UrlLayout Layout { get; }

        /// <summary>The API base; operation paths such as /v1/PersonalInfo are appended to it.</summary>
        public Uri BaseUri { get; }

        /// <summary>The token endpoint.</summary>
        public Uri TokenUri { get; }

        /// <summary>Whether token requests carry the x-tenant header (the latest layout's shared token server needs it).</summary>
        public bool SendsTenantHeader => Layout == UrlLayout.Latest;

        /// <summary>
        /// Builds the address for a tenant in a layout, with optional overrides of the API base and token endpoint
        /// (for a proxy, a test server, or an Avanti host this module does not know yet).
        /// </summary>
        public static AvantiAddress ForTenant(string tenant, UrlLayout layout, Uri baseUri = null, Uri tokenUri = null)
        {
            ValidateTenant(tenant);
            RequireAbsolute(baseUri, "BaseUri");
            RequireAbsolute(tokenUri, "TokenUri");
            Uri defaultBase = layout == UrlLayout.Latest
                ? new Uri("https://" + tenant.ToLowerInvariant() + "." + AvantiDomain + "/api")
                : new Uri("https://" + AvantiDomain + "/" + tenant + "-api");
            Uri apiBase = TrimSlash(baseUri ?? defaultBase);
            RequireSafeScheme(apiBase, "BaseUri");
            Uri token = tokenUri ?? (layout == UrlLayout.Latest ? LatestTokenUri : new Uri(apiBase.AbsoluteUri + "/connect/token"));
            RequireSafeScheme(token, "TokenUri");
            return new AvantiAddress(tenant, layout, apiBase, token);
        }

        /// <summary>
        /// Derives tenant and layout from the portal address an Avanti administrator hands over:
        /// https://abcinc.myavanti.ca (latest), https://myavanti.ca/ABCInc or https://myavanti.ca/ABCInc-api (legacy).
        /// On a loopback host (a local test server) only the path forms apply.
        /// </summary>
        public static AvantiAddress FromPortalUri(Uri portalUri, Uri baseUri = null, Uri tokenUri = null)
        {
            portalUri = WithScheme(portalUri);
            if (portalUri.Scheme != Uri.UriSchemeHttps && portalUri.Scheme != Uri.UriSchemeHttp)
            {
                throw new AvantiAddressException(NotAPortal(portalUri));
            }

            string host = portalUri.Host.ToLowerInvariant();
            string[] segments = portalUri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            bool loopback = portalUri.IsLoopback;

            if (!loopback && host.EndsWith("." + AvantiDomain, StringComparison.Ordinal))
            {
                string tenant = host.Substring(0, host.Length - AvantiDomain.Length - 1);
                bool pathFits = segments.Length == 0 || (segments.Length == 1 && string.Equals(segments[0], "api", StringComparison.OrdinalIgnoreCase));
                if (tenant.IndexOf('.') >= 0 || tenant == "auth" || tenant == "www" || !pathFits)
                {
                    throw new AvantiAddressException(NotAPortal(portalUri));
                }
                RequireSafeScheme(portalUri, "PortalUri");
                return ForTenant(tenant, UrlLayout.Latest, baseUri, tokenUri);
            }

            if (loopback || host == AvantiDomain || host == "www." + AvantiDomain)
            {
                if (segments.Length != 1)
                {
                    throw new AvantiAddressException(NotAPortal(portalUri));
                }
                string tenant = segments[0];
                if (tenant.EndsWith("-api", StringComparison.OrdinalIgnoreCase))
                {
                    tenant = tenant.Substring(0, tenant.Length - 4);
                }
                RequireSafeScheme(portalUri, "PortalUri");
                Uri origin = new Uri(portalUri.GetLeftPart(UriPartial.Authority));
                Uri apiBase = baseUri ?? new Uri(origin, "/" + tenant + "-api");
                ValidateTenant(tenant);
                return ForTenant(tenant, UrlLayout.Legacy, apiBase, tokenUri);
            }

            throw new AvantiAddressException(NotAPortal(portalUri));
        }

        /// <summary>
        /// Builds the absolute URI of an API operation: the API base, the path, and the query string with every name and value escaped.
        /// </summary>
        public Uri BuildUri(string path, System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, string>> query = null)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A path such as /v1/PersonalInfo is required.", nameof(path));
            var sb = new StringBuilder(BaseUri.AbsoluteUri.TrimEnd('/'));
            if (path[0] != '/') sb.Append('/');
            sb.Append(path);
            if (query != null)
            {
                char separator = '?';
                foreach (var pair in query)
                {
                    if (pair.Value == null) continue;
                    sb.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                    separator = '&';
                }
            }
            return new Uri(sb.ToString(), UriKind.Absolute);
        }

        /// <summary>
        /// Escapes one value for a path segment (a report ID, an employee number). Values that would change the
        /// path's meaning once a server decodes them (".", "..", empty, control characters) are refused.
        /// </summary>
        public static string EscapePathSegment(string value, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The " + what + " is empty.");
            }
            if (value.Length > 256)
            {
                throw new ArgumentException("The " + what + " is " + value.Length + " characters long; at most 256 are accepted.");
            }
            foreach (char c in value)
            {
                if (char.IsControl(c)) throw new ArgumentException("The " + what + " '" + Printable(value) + "' contains control characters.");
            }
            string trimmed = value.Trim();
            if (trimmed == "." || trimmed == ".." || value.IndexOf('/') >= 0 || value.IndexOf('\\') >= 0)
            {
                throw new ArgumentException("The " + what + " '" + Printable(value) + "' is not a single path segment: slashes, backslashes and '.'/'..' are not accepted.");
            }
            return Uri.EscapeDataString(value);
        }

        /// <summary>The address as one line, for verbose output and tables.</summary>
        public override string ToString() => Tenant + " (" + Layout + ", " + BaseUri.AbsoluteUri + ")";

        internal static void ValidateTenant(string tenant)
        {
            if (string.IsNullOrWhiteSpace(tenant))
            {
                throw new AvantiAddressException("The tenant is empty. Give the tenant from your portal address (https://<tenant>.myavanti.ca or https://myavanti.ca/<tenant>), or use -PortalUri.");
            }
            if (!HostLabel.IsMatch(tenant))
            {
                throw new AvantiAddressException("The tenant '" + Printable(tenant) + "' cannot be an Avanti tenant: it must be a host label (letters, digits and hyphens, at most 63 characters). Use the part of the portal address before .myavanti.ca, or after myavanti.ca/.");
            }
        }

        static void RequireAbsolute(Uri uri, string what)
        {
            if (uri != null && !uri.IsAbsoluteUri)
            {
                throw new AvantiAddressException("-" + what + " '" + Printable(uri.OriginalString) + "' is not a full address: give it with https://, such as https://abcinc.myavanti.ca/api.");
            }
        }

        /// <summary>Credentials never travel in clear: http is allowed only on a loopback host (a local test server).</summary>
        internal static void RequireSafeScheme(Uri uri, string what)
        {
            if (uri.Scheme == Uri.UriSchemeHttps) return;
            if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) return;
            throw new AvantiAddressException(what + " '" + uri.GetLeftPart(UriPartial.Path) + "' is not https. Avanti credentials and tokens are only sent over https (plain http is accepted on loopback only, for local test servers).");
        }

        static string NotAPortal(Uri uri) =>
            "'" + Printable(uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString) + "' is not an Avanti Self-Service Portal address. " + AddressAdvice;

        /// <summary>
        /// The address as given, with https:// put in front when it has no scheme (what people copy from the address
        /// bar: abcinc.myavanti.ca, myavanti.ca/ABCInc, or with a port, which Uri would read as a scheme).
        /// </summary>
        static Uri WithScheme(Uri portalUri)
        {
            if (portalUri == null || string.IsNullOrWhiteSpace(portalUri.OriginalString))
            {
                throw new AvantiAddressException("The portal address is empty. " + AddressAdvice);
            }
            string text = portalUri.OriginalString.Trim();
            if (portalUri.IsAbsoluteUri && text.IndexOf("://", StringComparison.Ordinal) > 0) return portalUri;
            if (portalUri.IsAbsoluteUri && portalUri.IsFile) throw new AvantiAddressException(NotAPortal(portalUri));
            if (text.StartsWith("//", StringComparison.Ordinal)) text = text.Substring(2);
            if (Uri.TryCreate("https://" + text, UriKind.Absolute, out Uri withScheme) && withScheme.Host.Length > 0 && withScheme.Host.IndexOf('.') > 0)
            {
                return withScheme;
            }
            throw new AvantiAddressException("'" + Printable(text) + "' is not an Avanti Self-Service Portal address. " + AddressAdvice);
        }

        static Uri TrimSlash(Uri uri) => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? new Uri(uri.AbsoluteUri.TrimEnd('/')) : uri;

        internal static string Printable(string value)
        {
            if (value == null) return string.Empty;
            var sb = new StringBuilder(Math.Min(value.Length, 80));
            foreach (char c in value)
            {
                if (sb.Length >= 64) { sb.Append('…'); break; }
                sb.Append(char.IsControl(c) ? '?' : c);
            }
            return sb.ToString();
        }
    }

    /// <summary>An address, tenant or layout that cannot work; the message says what to give instead.</summary>
    public sealed class AvantiAddressException : ArgumentException
    {
        public AvantiAddressException(string message) : base(message) { }
    }
}
