using System;
using AvantiPS.Auth;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;
using AvantiPS.Connections;

namespace AvantiPS.Vault
{
    /// <summary>
    /// The shape of a connection profile in a vault. A profile is ONE Hashtable secret named AvantiPS.&lt;ProfileName&gt;
    /// holding everything Connect-Avanti needs (the client secret and password as SecureStrings), plus metadata
    /// (strings and a DateTime, no secret) so profiles can be listed without reading, or unlocking, a secret.
    /// </summary>
    internal static class AvantiProfile
    {
        public const string SecretPrefix = "AvantiPS.";
        public const string DefaultName = "Default";
        public const string ModuleName = "AvantiPS";

        // Keys of the Hashtable secret. BaseUri and TokenUri are present only when they override the layout's URLs.
        public const string TenantKey = "Tenant";
        public const string CompanyKey = "Company";
        public const string UrlLayoutKey = "UrlLayout";
        public const string DeviceIdKey = "DeviceId";
        public const string BaseUriKey = "BaseUri";
        public const string TokenUriKey = "TokenUri";
        public const string ClientIdKey = "ClientId";
        public const string ClientSecretKey = "ClientSecret";
        public const string UserNameKey = "UserName";
        public const string PasswordKey = "Password";

        // Metadata keys.
        public const string ModuleMetadata = "Module";
        public const string ProfileMetadata = "ProfileName";
        public const string SavedOnMetadata = "SavedOn";

        static readonly string[] RequiredText = { TenantKey, CompanyKey, UrlLayoutKey, DeviceIdKey, ClientIdKey, UserNameKey };
        static readonly string[] RequiredSecret = { ClientSecretKey, PasswordKey };
        static readonly Regex NamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant);

        /// <summary>The secret name of a profile: AvantiPS.&lt;ProfileName&gt;.</summary>
        public static string SecretName(string profileName)
        {
            ValidateName(profileName);
            return SecretPrefix + profileName;
        }

        /// <summary>The profile name of a secret name, or null when the secret is not an AvantiPS profile's.</summary>
        public static string ProfileNameOf(string secretName)
        {
            if (secretName == null || !secretName.StartsWith(SecretPrefix, StringComparison.OrdinalIgnoreCase)) return null;
            string name = secretName.Substring(SecretPrefix.Length);
            return name.Length == 0 ? null : name;
        }

        /// <summary>Profile names are plain words, so they are never mistaken for wildcards in a vault query.</summary>
        public static void ValidateName(string profileName)
        {
            if (profileName == null || !NamePattern.IsMatch(profileName))
            {
                throw new ArgumentException("The profile name '" + AvantiAddress.Printable(profileName) + "' is not usable: give 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (for example Default or Payroll-Prod).");
            }
        }

        /// <summary>The Hashtable secret of a connection's settings. The caller owns (and should clear) the secrets in it.</summary>
        public static Hashtable ToSecret(ConnectionSettings settings)
        {
            AvantiAddress address = settings.Address;
            var secret = new Hashtable(StringComparer.OrdinalIgnoreCase)
            {
                [TenantKey] = address.Tenant,
                [CompanyKey] = settings.Company,
                [UrlLayoutKey] = address.Layout.ToString(),
                [DeviceIdKey] = settings.DeviceId,
                [ClientIdKey] = settings.ClientId,
                [ClientSecretKey] = settings.ClientSecret,
                [UserNameKey] = settings.UserName,
                [PasswordKey] = settings.Password,
            };

            // Only overrides are saved, so a profile follows Avanti if the layout's default URLs ever move.
            Uri baseOverride = SameUri(address.BaseUri, AvantiAddress.ForTenant(address.Tenant, address.Layout).BaseUri) ? null : address.BaseUri;
            Uri tokenOverride = SameUri(address.TokenUri, AvantiAddress.ForTenant(address.Tenant, address.Layout, baseOverride).TokenUri) ? null : address.TokenUri;
            if (baseOverride != null) secret[BaseUriKey] = baseOverride.AbsoluteUri;
            if (tokenOverride != null) secret[TokenUriKey] = tokenOverride.AbsoluteUri;
            return secret;
        }

        /// <summary>Metadata for listing profiles; SecretManagement vaults accept only string, int and DateTime values.</summary>
        public static Hashtable ToMetadata(ConnectionSettings settings, string profileName, DateTime savedOnUtc) => new Hashtable
        {
            [ModuleMetadata] = ModuleName,
            [ProfileMetadata] = profileName,
            [TenantKey] = settings.Address.Tenant,
            [CompanyKey] = settings.Company,
            [UserNameKey] = settings.UserName,
            [UrlLayoutKey] = settings.Address.Layout.ToString(),
            [SavedOnMetadata] = savedOnUtc,
        };

        /// <summary>
        /// Reads a profile secret back into connection settings. Anything else (a string saved by hand, a Hashtable
        /// that lacks fields) is an <see cref="AvantiProfileException"/> that names what is wrong and how to fix it.
        /// </summary>
        public static ConnectionSettings ToSettings(object secret, string vault, string profileName)
        {
            string secretName = SecretPrefix + profileName;
            if (!(secret is IDictionary table))
            {
                // Get-Secret hands a string secret back as a SecureString.
                string type = secret is SecureString || secret is string ? "a single string" : secret is System.Management.Automation.PSCredential ? "a PSCredential" : secret is byte[] ? "a byte array" : "an empty value";
                throw Invalid(vault, profileName, "The secret '" + secretName + "' in vault '" + vault + "' is " + type + ", not an AvantiPS connection profile (a Hashtable of connection fields).");
            }

            var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key == null) continue;
                object value = Unwrap(entry.Value);
                // Get-Secret returns every string in a Hashtable secret as a SecureString; the non-secret fields are text.
                if (value is SecureString secure && !IsSecretKey(entry.Key.ToString())) value = AvantiCredentials.Reveal(secure);
                values[entry.Key.ToString()] = value;
            }

            var missing = new List<string>();
            var wrongType = new List<string>();
            foreach (string key in RequiredText)
            {
                if (!values.TryGetValue(key, out object value) || value == null || (value is string s && s.Trim().Length == 0)) missing.Add(key);
                else if (!(value is string)) wrongType.Add(key);
            }
            foreach (string key in RequiredSecret)
            {
                if (!values.TryGetValue(key, out object value) || value == null || (value is string s && s.Length == 0) || (value is SecureString ss && ss.Length == 0)) missing.Add(key);
                else if (!(value is string) && !(value is SecureString)) wrongType.Add(key);
            }
            foreach (string key in new[] { BaseUriKey, TokenUriKey })
            {
                if (values.TryGetValue(key, out object value) && value != null && !(value is string s && (s.Length == 0 || Uri.IsWellFormedUriString(s, UriKind.Absolute)))) wrongType.Add(key);
            }
            UrlLayout layout = UrlLayout.Latest;
            if (!missing.Contains(UrlLayoutKey) && !wrongType.Contains(UrlLayoutKey)
                && !Enum.TryParse((string)values[UrlLayoutKey], true, out layout))
            {
                wrongType.Add(UrlLayoutKey);
            }

            if (missing.Count > 0 || wrongType.Count > 0)
            {
                string problem = "The secret '" + secretName + "' in vault '" + vault + "' is not a complete AvantiPS connection profile:";
                if (missing.Count > 0) problem += " it lacks " + string.Join(", ", missing) + ".";
                if (wrongType.Count > 0) problem += " " + string.Join(", ", wrongType) + (wrongType.Count == 1 ? " is" : " are") + " not valid (text, the secrets text or SecureString, UrlLayout Latest or Legacy, URIs absolute).";
                throw Invalid(vault, profileName, problem);
            }

            try
            {
                AvantiAddress address = AvantiAddress.ForTenant(
                    ((string)values[TenantKey]).Trim(),
                    layout,
                    OptionalUri(values, BaseUriKey),
                    OptionalUri(values, TokenUriKey));
                return new ConnectionSettings
                {
                    Address = address,
                    Company = ((string)values[CompanyKey]).Trim(),
                    DeviceId = (string)values[DeviceIdKey],
                    ClientId = (string)values[ClientIdKey],
                    ClientSecret = ToSecure(values[ClientSecretKey]),
                    UserName = (string)values[UserNameKey],
                    Password = ToSecure(values[PasswordKey]),
                };
            }
            catch (ArgumentException ex)
            {
                throw Invalid(vault, profileName, "The secret '" + secretName + "' in vault '" + vault + "' does not describe a usable connection: " + ex.Message);
            }
        }

        /// <summary>A listing entry from Get-SecretInfo's answer; null when the secret is not named like a profile.</summary>
        public static AvantiProfileInfo ToInfo(string vault, VaultSecretInfo info)
        {
            string profileName = ProfileNameOf(info.Name);
            if (profileName == null) return null;
            IDictionary m = info.Metadata;
            return new AvantiProfileInfo(vault, profileName, info.Name, Text(m, TenantKey), Text(m, CompanyKey), Text(m, UserNameKey), Text(m, UrlLayoutKey), Date(m, SavedOnMetadata));
        }

        /// <summary>Whether the secret's metadata says AvantiPS saved it as a profile.</summary>
        public static bool IsProfile(VaultSecretInfo info) =>
            string.Equals(Text(info.Metadata, ModuleMetadata), ModuleName, StringComparison.OrdinalIgnoreCase);

        static AvantiProfileException Invalid(string vault, string profileName, string problem) => new AvantiProfileException(
            ProfileError.InvalidProfile, vault, profileName,
            problem, "Connect with Connect-Avanti and the full parameters, then save it again: Save-AvantiProfile -Vault " + vault + " -ProfileName " + profileName + " -Force.");

        static bool IsSecretKey(string key) =>
            string.Equals(key, ClientSecretKey, StringComparison.OrdinalIgnoreCase) || string.Equals(key, PasswordKey, StringComparison.OrdinalIgnoreCase);

        static object Unwrap(object value) => value is System.Management.Automation.PSObject ps ? ps.BaseObject : value;

        static Uri OptionalUri(Dictionary<string, object> values, string key) =>
            values.TryGetValue(key, out object value) && value is string s && s.Length > 0 ? new Uri(s, UriKind.Absolute) : null;

        static SecureString ToSecure(object value)
        {
            if (value is SecureString secure) return secure.Copy();
            var result = new SecureString();
            foreach (char c in (string)value) result.AppendChar(c);
            return result;
        }

        static bool SameUri(Uri a, Uri b) => string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

        static string Text(IDictionary metadata, string key)
        {
            object value = Lookup(metadata, key);
            return value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        static DateTime? Date(IDictionary metadata, string key)
        {
            object value = Lookup(metadata, key);
            if (value is DateTime d) return d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d;
            if (value is DateTimeOffset o) return o.UtcDateTime;
            if (value is string s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed)) return parsed;
            return null;
        }

        static object Lookup(IDictionary metadata, string key)
        {
            foreach (DictionaryEntry entry in metadata)
            {
                if (string.Equals(entry.Key as string, key, StringComparison.OrdinalIgnoreCase)) return Unwrap(entry.Value);
            }
            return null;
        }
    }
}
