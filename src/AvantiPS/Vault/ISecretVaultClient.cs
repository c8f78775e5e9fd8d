using System;
using System.Collections;
using System.Collections.Generic;

namespace AvantiPS.Vault
{
    /// <summary>
    /// The few SecretManagement operations profiles need. The module talks to SecretManagement only through its
    /// cmdlets (see <see cref="SecretManagementClient"/>); unit tests drive <see cref="ProfileVault"/> with a fake.
    /// </summary>
    internal interface ISecretVaultClient
    {
        /// <summary>Throws <see cref="SecretVaultException"/> unless SecretManagement is installed and the vault is registered.</summary>
        void RequireVault(string vault);

        /// <summary>Name, type and metadata of the secrets matching a wildcard filter; never a secret value.</summary>
        IReadOnlyList<VaultSecretInfo> GetSecretInfo(string vault, string filter);

        /// <summary>The secret, or null when the vault has no secret of that name.</summary>
        object GetSecret(string vault, string name);

        void SetSecret(string vault, string name, Hashtable secret, Hashtable metadata);

        void RemoveSecret(string vault, string name);
    }

    /// <summary>What Get-SecretInfo tells about one secret.</summary>
    internal sealed class VaultSecretInfo
    {
        public VaultSecretInfo(string name, string type, IDictionary metadata)
        {
            Name = name;
            Type = type;
            Metadata = metadata ?? new Hashtable();
        }

        public string Name { get; }

        /// <summary>The SecretManagement secret type (Hashtable, String, SecureString, ...).</summary>
        public string Type { get; }

        public IDictionary Metadata { get; }
    }

    /// <summary>Why a SecretManagement call failed, as far as a profile cares.</summary>
    internal enum SecretVaultFailure
    {
        ModuleMissing,
        VaultNotFound,
        VaultLocked,

        /// <summary>
        /// The vault stopped while asking for its password (SecretStore's -Interaction Prompt in a host whose standard
        /// input is closed): locked, as far as a profile cares.
        /// </summary>
        PasswordPromptFailed,
        Other,
    }

    /// <summary>A SecretManagement failure, before <see cref="ProfileVault"/> words it for the user.</summary>
    internal sealed class SecretVaultException : Exception
    {
        public SecretVaultException(SecretVaultFailure failure, string vault, string message, Exception inner = null)
            : base(message, inner)
        {
            Failure = failure;
            Vault = vault;
        }

        public SecretVaultFailure Failure { get; }

        public string Vault { get; }
    }
}
