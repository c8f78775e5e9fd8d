using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;
using AvantiPS.Connections;
using AvantiPS.Vault;
using Xunit;

namespace AvantiPS.Tests
{
    public class AvantiProfileTests
    {
        static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

        static ConnectionSettings Settings(AvantiAddress address) => new ConnectionSettings
        {
            Address = address,
            Company = "AVANTI_ABC_LIVE",
            ClientId = "client",
            ClientSecret = Secure("client-secret-1"),
            UserName = "apiuser",
            Password = Secure("password-1"),
            DeviceId = "AvantiPS-device-1",
        };

        [Fact]
        public void Default_urls_are_not_saved_and_the_profile_reads_back()
        {
            var secret = AvantiProfile.ToSecret(Settings(AvantiAddress.ForTenant("abcinc", UrlLayout.Latest)));
            Assert.False(secret.ContainsKey(AvantiProfile.BaseUriKey));
            Assert.False(secret.ContainsKey(AvantiProfile.TokenUriKey));
            Assert.IsType<SecureString>(secret[AvantiProfile.PasswordKey]);

            ConnectionSettings back = AvantiProfile.ToSettings(secret, "V", "P");
            Assert.Equal(UrlLayout.Latest, back.Address.Layout);
            Assert.Equal("https://abcinc.myavanti.ca/api", back.Address.BaseUri.AbsoluteUri);
            Assert.Equal("AvantiPS-device-1", back.DeviceId);
            Assert.Equal("password-1", new NetworkCredential(string.Empty, back.Password).Password);
            back.Validate();
        }

        [Fact]
        public void Overrides_are_saved_and_restored()
        {
            var address = AvantiAddress.FromPortalUri(new Uri("http://127.0.0.1:5000/abcinc"));
            var secret = AvantiProfile.ToSecret(Settings(address));
            Assert.Equal("http://127.0.0.1:5000/abcinc-api", secret[AvantiProfile.BaseUriKey]);
            Assert.False(secret.ContainsKey(AvantiProfile.TokenUriKey));
            ConnectionSettings back = AvantiProfile.ToSettings(secret, "V", "P");
            Assert.Equal(address.TokenUri, back.Address.TokenUri);
        }

        [Fact]
        public void Text_fields_come_back_from_Get_Secret_as_SecureStrings_and_are_accepted()
        {
            var secret = AvantiProfile.ToSecret(Settings(AvantiAddress.ForTenant("abcinc", UrlLayout.Legacy)));
            foreach (string key in secret.Keys.Cast<string>().ToList())
            {
                if (secret[key] is string s) secret[key] = Secure(s);
            }
            Assert.Equal("AVANTI_ABC_LIVE", AvantiProfile.ToSettings(secret, "V", "P").Company);
        }

        [Fact]
        public void A_string_secret_is_not_a_profile()
        {
            var ex = Assert.Throws<AvantiProfileException>(() => AvantiProfile.ToSettings(Secure("x"), "V", "P"));
            Assert.Equal(ProfileError.InvalidProfile, ex.Error);
            Assert.Contains("AvantiPS.P", ex.Message);
            Assert.Contains("single string", ex.Message);
        }

        [Fact]
        public void Missing_fields_are_named()
        {
            var ex = Assert.Throws<AvantiProfileException>(() => AvantiProfile.ToSettings(new Hashtable { ["Tenant"] = "abcinc", ["Company"] = "C" }, "V", "P"));
            Assert.Contains("lacks UrlLayout, DeviceId, ClientId, UserName, ClientSecret, Password.", ex.Message);
            Assert.Contains("Save-AvantiProfile -Vault V -ProfileName P -Force", ex.Message);
        }

        [Theory]
        [InlineData("Pay*roll")]
        [InlineData("")]
        [InlineData(".hidden")]
        [InlineData("a b")]
        public void Profile_names_must_be_plain_words(string name)
        {
            Assert.Throws<ArgumentException>(() => AvantiProfile.SecretName(name));
        }

        [Fact]
        public void Vault_failures_name_the_vault_the_profile_and_what_to_do()
        {
            var vault = new ProfileVault(new FakeVault { Failure = SecretVaultFailure.VaultLocked });
            var ex = Assert.Throws<AvantiProfileException>(() => vault.Load("V", "Payroll"));
            Assert.Equal(ProfileError.VaultLocked, ex.Error);
            Assert.Contains("'V'", ex.Message);
            Assert.Contains("'Payroll'", ex.Message);
            Assert.Contains("Unlock-SecretVault", ex.Message);

            ex = Assert.Throws<AvantiProfileException>(() => new ProfileVault(new FakeVault { Failure = SecretVaultFailure.ModuleMissing }).List("V", "*", out _));
            Assert.Equal(ProfileError.SecretManagementMissing, ex.Error);
            Assert.Contains("Install-PSResource Microsoft.PowerShell.SecretManagement", ex.Message);
        }

        [Fact]
        public void Save_list_load_and_remove_through_a_vault()
        {
            var fake = new FakeVault();
            var vault = new ProfileVault(fake);
            vault.Save(Settings(AvantiAddress.ForTenant("abcinc", UrlLayout.Latest)), "V", "Payroll", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            Assert.True(vault.Exists("V", "Payroll"));
            AvantiProfileInfo listed = Assert.Single(vault.List("V", "Pay*", out var notProfiles));
            Assert.Empty(notProfiles);
            Assert.Equal("apiuser", listed.UserName);
            Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), listed.SavedOn);
            Assert.Equal("client", vault.Load("V", "Payroll").ClientId);
            vault.Remove("V", "Payroll");
            Assert.Equal(ProfileError.NotFound, Assert.Throws<AvantiProfileException>(() => vault.Load("V", "Payroll")).Error);
            Assert.Equal(ProfileError.NotFound, Assert.Throws<AvantiProfileException>(() => vault.Remove("V", "Payroll")).Error);
        }

        [Fact]
        public void Listing_keeps_only_secrets_whose_metadata_says_AvantiPS_saved_them()
        {
            var fake = new FakeVault();
            var vault = new ProfileVault(fake);
            vault.Save(Settings(AvantiAddress.ForTenant("abcinc", UrlLayout.Latest)), "V", "Payroll", DateTime.UtcNow);
            fake.SetSecret("V", "AvantiPS.ByHand", new Hashtable { ["Tenant"] = "abcinc" }, new Hashtable());
            fake.SetSecret("V", "AvantiPS.OtherTool", new Hashtable { ["x"] = "y" }, new Hashtable { ["Module"] = "SomethingElse" });

            IReadOnlyList<AvantiProfileInfo> listed = vault.List("V", "*", out IReadOnlyList<string> notProfiles);
            Assert.Equal("Payroll", Assert.Single(listed).ProfileName);
            Assert.Equal(new[] { "AvantiPS.ByHand", "AvantiPS.OtherTool" }, notProfiles.OrderBy(n => n).ToArray());
            AvantiProfileException flagged = ProfileVault.NotAProfile("V", "AvantiPS.ByHand");
            Assert.Equal(ProfileError.InvalidProfile, flagged.Error);
            Assert.Contains("Remove-Secret -Vault V -Name AvantiPS.ByHand", flagged.Advice);
        }

        [Theory]
        [InlineData((int)SecretVaultFailure.VaultNotFound, ProfileError.VaultNotFound)]
        [InlineData((int)SecretVaultFailure.VaultLocked, ProfileError.VaultLocked)]
        [InlineData((int)SecretVaultFailure.PasswordPromptFailed, ProfileError.VaultLocked)]
        public void Saving_to_a_vault_that_fails_speaks_of_saving(int failureValue, ProfileError expected)
        {
            var failure = (SecretVaultFailure)failureValue;
            var vault = new ProfileVault(new FakeVault { Failure = failure });
            var ex = Assert.Throws<AvantiProfileException>(() => vault.Exists("V", "Payroll", "save"));
            Assert.Equal(expected, ex.Error);
            Assert.Contains("cannot be saved", ex.Message);
            Assert.DoesNotContain("read", ex.Message.Split('.')[0]);
            Assert.False(string.IsNullOrEmpty(ex.Advice));
            Assert.EndsWith(ex.Advice, ex.Message);
        }

        sealed class FakeVault : ISecretVaultClient
        {
            readonly Dictionary<string, (Hashtable Secret, Hashtable Metadata)> secrets = new Dictionary<string, (Hashtable, Hashtable)>(StringComparer.OrdinalIgnoreCase);

            public SecretVaultFailure? Failure { get; set; }

            public void RequireVault(string vault)
            {
                if (Failure.HasValue) throw new SecretVaultException(Failure.Value, vault, "failed");
            }

            public IReadOnlyList<VaultSecretInfo> GetSecretInfo(string vault, string filter)
            {
                var pattern = new System.Management.Automation.WildcardPattern(filter, System.Management.Automation.WildcardOptions.IgnoreCase);
                return secrets.Where(s => pattern.IsMatch(s.Key)).Select(s => new VaultSecretInfo(s.Key, "Hashtable", s.Value.Metadata)).ToList();
            }

            public object GetSecret(string vault, string name) => secrets.TryGetValue(name, out var s) ? s.Secret : null;

            public void SetSecret(string vault, string name, Hashtable secret, Hashtable metadata) => secrets[name] = ((Hashtable)secret.Clone(), metadata);

            public void RemoveSecret(string vault, string name) => secrets.Remove(name);
        }
    }
}
