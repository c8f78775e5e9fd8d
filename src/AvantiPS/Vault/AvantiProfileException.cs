using System;

namespace AvantiPS.Vault
{
    /// <summary>What went wrong with a connection profile; each kind has its own error ID (AvantiProfile&lt;Kind&gt;).</summary>
    public enum ProfileError
    {
        /// <summary>Microsoft.PowerShell.SecretManagement is not installed.</summary>
        SecretManagementMissing,

        /// <summary>No vault of that name is registered.</summary>
        VaultNotFound,

        /// <summary>The vault needs a password this session has not given.</summary>
        VaultLocked,

        /// <summary>The vault has no such profile.</summary>
        NotFound,

        /// <summary>The secret under the profile's name is not a profile, or lacks fields.</summary>
        InvalidProfile,

        /// <summary>The profile exists and overwriting it was not confirmed.</summary>
        Exists,

        /// <summary>The action needs confirmation and the host cannot ask.</summary>
        ConfirmationRequired,

        /// <summary>Any other failure of the vault.</summary>
        VaultFailed,
    }

    /// <summary>A profile could not be saved, read, listed or removed; the message says what to do. It never holds a secret.</summary>
    public sealed class AvantiProfileException : Exception
    {
        internal AvantiProfileException(ProfileError error, string vault, string profileName, string problem, string advice, Exception inner = null)
            : base(problem + " " + advice, inner)
        {
            Advice = advice;
            Error = error;
            Vault = vault;
            ProfileName = profileName;
        }

        public ProfileError Error { get; }

        public string Vault { get; }

        public string ProfileName { get; }

        /// <summary>What to do next (also the end of the message).</summary>
        public string Advice { get; }
    }
}
