using System;

namespace AvantiPS.Vault
{
    /// <summary>
    /// A saved connection profile as Get-AvantiProfile lists it: read from the secret's metadata only, so it never
    /// holds (or needs to unlock) a secret.
    /// </summary>
    public sealed class AvantiProfileInfo
    {
        internal AvantiProfileInfo(string vault, string profileName, string secretName, string tenant, string company, string userName, string urlLayout, DateTime? savedOn)
        {
            Vault = vault;
            ProfileName = profileName;
            SecretName = secretName;
            Tenant = tenant;
            Company = company;
            UserName = userName;
            UrlLayout = urlLayout;
            SavedOn = savedOn;
        }

        /// <summary>The SecretManagement vault that holds the profile.</summary>
        public string Vault { get; }

        /// <summary>The profile name, as given to Connect-Avanti -ProfileName.</summary>
        public string ProfileName { get; }

        /// <summary>The name of the secret in the vault: AvantiPS.&lt;ProfileName&gt;.</summary>
        public string SecretName { get; }

        public string Tenant { get; }

        /// <summary>The company database name.</summary>
        public string Company { get; }

        /// <summary>The Avanti user the profile connects as.</summary>
        public string UserName { get; }

        public string UrlLayout { get; }

        /// <summary>When the profile was saved (UTC); null when the secret has no AvantiPS metadata.</summary>
        public DateTime? SavedOn { get; }

        public override string ToString() => Vault + "/" + ProfileName;
    }
}
