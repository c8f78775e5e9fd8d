using System;
using System.Collections.Generic;
using System.Management.Automation;
using AvantiPS.Connections;
using AvantiPS.Http;

namespace AvantiPS.Vault
{
    /// <summary>
    /// Saves, reads, lists and removes connection profiles in a SecretManagement vault, and words every failure
    /// for the user: which vault, which profile, what to do next. Knows nothing of cmdlets.
    /// </summary>
    internal sealed class ProfileVault
    {
        readonly ISecretVaultClient client;

        public ProfileVault(ISecretVaultClient client)
        {
            this.client = client;
        }

        /// <summary>Whether the vault holds the profile (by name; the secret is not read).</summary>
        public bool Exists(string vault, string profileName, string operation = "read")
        {
            string secretName = AvantiProfile.SecretName(profileName);
            return Guard(vault, profileName, operation, () => Find(vault, secretName) != null);
        }

        /// <summary>Writes the profile, replacing one of the same name; asking first is the caller's job.</summary>
        public AvantiProfileInfo Save(ConnectionSettings settings, string vault, string profileName, DateTime savedOnUtc)
        {
            string secretName = AvantiProfile.SecretName(profileName);
            var secret = AvantiProfile.ToSecret(settings);
            var metadata = AvantiProfile.ToMetadata(settings, profileName, savedOnUtc);
            Guard(vault, profileName, "save", () =>
            {
                client.RequireVault(vault);
                client.SetSecret(vault, secretName, secret, metadata);
                return true;
            });
            secret.Clear();
            return AvantiProfile.ToInfo(vault, new VaultSecretInfo(secretName, "Hashtable", metadata));
        }

        /// <summary>The connection settings a profile holds; the caller owns the SecureStrings in them.</summary>
        public ConnectionSettings Load(string vault, string profileName)
        {
            string secretName = AvantiProfile.SecretName(profileName);
            object secret = Guard(vault, profileName, "read", () =>
            {
                client.RequireVault(vault);
                return client.GetSecret(vault, secretName);
            });
            if (secret == null) throw NotFound(vault, profileName);
            ConnectionSettings settings = AvantiProfile.ToSettings(secret, vault, profileName);
            settings.Vault = vault;
            settings.ProfileName = profileName;
            return settings;
        }

        /// <summary>
        /// The profiles whose names match a wildcard pattern, from metadata only. Secrets named like a profile
        /// whose metadata does not say AvantiPS saved them (set by hand, say) are not profiles: they come back in
        /// <paramref name="notProfiles"/>, for the caller to flag.
        /// </summary>
        public IReadOnlyList<AvantiProfileInfo> List(string vault, string pattern, out IReadOnlyList<string> notProfiles)
        {
            string filter = AvantiProfile.SecretPrefix + (string.IsNullOrEmpty(pattern) ? "*" : pattern);
            var others = new List<string>();
            IReadOnlyList<AvantiProfileInfo> found = Guard(vault, pattern, "list", () =>
            {
                client.RequireVault(vault);
                var result = new List<AvantiProfileInfo>();
                foreach (VaultSecretInfo info in client.GetSecretInfo(vault, filter))
                {
                    AvantiProfileInfo profile = AvantiProfile.ToInfo(vault, info);
                    if (profile == null) continue;
                    if (AvantiProfile.IsProfile(info)) result.Add(profile);
                    else others.Add(info.Name);
                }
                return (IReadOnlyList<AvantiProfileInfo>)result;
            });
            notProfiles = others;
            return found;
        }

        /// <summary>The error for a secret named like a profile that AvantiPS did not save (its metadata says so).</summary>
        public static AvantiProfileException NotAProfile(string vault, string secretName) => new AvantiProfileException(
            ProfileError.InvalidProfile, vault, AvantiProfile.ProfileNameOf(secretName),
            "The secret '" + secretName + "' in vault '" + vault + "' is named like an AvantiPS profile but is not one: its metadata does not say AvantiPS saved it.",
            "Remove it (Remove-Secret -Vault " + vault + " -Name " + secretName + "), or save a profile over it: Connect-Avanti <parameters> -PassThru | Save-AvantiProfile -Vault " + vault + " -ProfileName " + AvantiProfile.ProfileNameOf(secretName) + " -Force.");

        /// <summary>Removes a profile; a profile that is not there is an error, as Remove-Item's is.</summary>
        public void Remove(string vault, string profileName)
        {
            string secretName = AvantiProfile.SecretName(profileName);
            Guard(vault, profileName, "remove", () =>
            {
                if (Find(vault, secretName) == null) throw NotFound(vault, profileName);
                client.RemoveSecret(vault, secretName);
                return true;
            });
        }

        VaultSecretInfo Find(string vault, string secretName)
        {
            client.RequireVault(vault);
            foreach (VaultSecretInfo info in client.GetSecretInfo(vault, WildcardPattern.Escape(secretName)))
            {
                if (string.Equals(info.Name, secretName, StringComparison.OrdinalIgnoreCase)) return info;
            }
            return null;
        }

        public static AvantiProfileException NotFound(string vault, string profileName) => new AvantiProfileException(
            ProfileError.NotFound, vault, profileName,
            "Vault '" + vault + "' has no AvantiPS profile '" + profileName + "' (secret " + AvantiProfile.SecretPrefix + profileName + ").",
            "List the saved profiles with Get-AvantiProfile -Vault " + vault + ", or save this one after connecting: "
            + "Connect-Avanti <parameters> -PassThru | Save-AvantiProfile -Vault " + vault + " -ProfileName " + profileName + ".");

        public static AvantiProfileException AlreadyExists(string vault, string profileName) => new AvantiProfileException(
            ProfileError.Exists, vault, profileName,
            "Vault '" + vault + "' already has an AvantiPS profile '" + profileName + "' and this PowerShell host cannot ask whether to replace it.",
            "Add -Force to replace it, or choose another -ProfileName.");

        public static AvantiProfileException ConfirmationRequired(string vault, string profileName, string action) => new AvantiProfileException(
            ProfileError.ConfirmationRequired, vault, profileName,
            "This change to the AvantiPS profile '" + profileName + "' in vault '" + vault + "' needs confirmation and this PowerShell host cannot ask (no console, standard input redirected or closed, or -NonInteractive).",
            "Add -Confirm:$false to " + action + " without asking.");

        T Guard<T>(string vault, string profileName, string operation, Func<T> work)
        {
            try
            {
                return work();
            }
            catch (SecretVaultException ex)
            {
                throw Translate(ex, vault, profileName, operation);
            }
        }

        static AvantiProfileException Translate(SecretVaultException ex, string vault, string profileName, string operation)
        {
            string what = string.IsNullOrEmpty(profileName) || operation == "list" ? "profiles" : "profile '" + profileName + "'";
            switch (ex.Failure)
            {
                case SecretVaultFailure.ModuleMissing:
                    return new AvantiProfileException(ProfileError.SecretManagementMissing, vault, profileName,
                        "Connection profiles need the Microsoft.PowerShell.SecretManagement module, which is not installed here (or cannot be loaded).",
                        "Install it with: Install-PSResource Microsoft.PowerShell.SecretManagement (on Windows PowerShell 5.1: Install-Module Microsoft.PowerShell.SecretManagement), "
                        + "plus a vault extension such as Microsoft.PowerShell.SecretStore, and register a vault with Register-SecretVault.", ex);
                case SecretVaultFailure.VaultNotFound:
                    return new AvantiProfileException(ProfileError.VaultNotFound, vault, profileName,
                        "No SecretManagement vault named '" + vault + "' is registered for this user, so " + what + " cannot be " + Past(operation) + ".",
                        "List the vaults with Get-SecretVault, or register one, for example: Register-SecretVault -Name " + vault + " -ModuleName Microsoft.PowerShell.SecretStore. "
                        + "A scheduled task runs as its own user, who needs the vault registered too.", ex);
                case SecretVaultFailure.VaultLocked:
                case SecretVaultFailure.PasswordPromptFailed:
                    return new AvantiProfileException(ProfileError.VaultLocked, vault, profileName,
                        "The vault '" + vault + "' is locked" + (ex.Failure == SecretVaultFailure.PasswordPromptFailed ? " (it asked for its password and no one could answer)" : string.Empty) + ", so " + what + " cannot be " + Past(operation) + ".",
                        "Unlock it in this session first (Unlock-SecretVault -Name " + vault + " -Password <SecureString>), "
                        + "or configure the vault so unattended runs need no password (for SecretStore: Set-SecretStoreConfiguration -Authentication None, "
                        + "or unlock it from a password file only that user can read).", ex);
                default:
                    return new AvantiProfileException(ProfileError.VaultFailed, vault, profileName,
                        "Vault '" + vault + "' failed, so " + what + " could not be " + Past(operation) + ": " + ErrorText.Sentence(ex.Message),
                        "Check the vault with Test-SecretVault -Name " + vault + ", then try again.", ex);
            }
        }

        static string Past(string operation)
        {
            switch (operation)
            {
                case "save": return "saved";
                case "list": return "listed";
                case "remove": return "removed";
                default: return "read";
            }
        }
    }
}
