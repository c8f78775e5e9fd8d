using System;
using System.Collections.Generic;
using System.Management.Automation;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Get-AvantiProfile: lists the connection profiles saved in a vault from the secrets' metadata only, so it
    /// never reads a secret (and works even where the secrets themselves would need more access).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AvantiProfile")]
    [OutputType(typeof(AvantiProfileInfo))]
    public sealed class GetAvantiProfileCommand : AvantiCmdlet
    {
        /// <summary>The name of the SecretManagement vault.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        /// <summary>Profile names to list; wildcards allowed; all profiles when omitted.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] ProfileName { get; set; }

        protected override void ProcessRecord()
        {
            var vault = new ProfileVault(new SecretManagementClient());
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string pattern in ProfileName ?? new[] { "*" })
            {
                IReadOnlyList<AvantiProfileInfo> found = null;
                IReadOnlyList<string> notProfiles = null;
                try
                {
                    found = vault.List(Vault, pattern, out notProfiles);
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    Fail(ex, pattern);
                }
                bool exactName = !WildcardPattern.ContainsWildcardCharacters(pattern);
                foreach (string secretName in notProfiles)
                {
                    // Named like a profile, but not saved by AvantiPS: asked for by name, an error; in a listing, a warning.
                    AvantiProfileException notAProfile = ProfileVault.NotAProfile(Vault, secretName);
                    if (exactName) Report(notAProfile, pattern);
                    else if (seen.Add(secretName)) WriteWarning(notAProfile.Message);
                }
                if (found.Count == 0 && exactName)
                {
                    // A name without wildcards that matches nothing is an error, as with Get-Item.
                    if (notProfiles.Count == 0) Report(ProfileVault.NotFound(Vault, pattern), pattern);
                    continue;
                }
                foreach (AvantiProfileInfo profile in found)
                {
                    if (seen.Add(profile.ProfileName)) WriteObject(profile);
                }
            }
        }
    }
}
