using System;
using System.Management.Automation;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Remove-AvantiProfile: deletes saved connection profiles from a vault. It asks first (ConfirmImpact High);
    /// -Confirm:$false removes without asking, as a script in a host that cannot ask must.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "AvantiProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAvantiProfileCommand : AvantiCmdlet
    {
        /// <summary>The name of the SecretManagement vault.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        /// <summary>The profiles to remove (exact names).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] ProfileName { get; set; }

        protected override void ProcessRecord()
        {
            var vault = new ProfileVault(new SecretManagementClient());
            foreach (string name in ProfileName)
            {
                try
                {
                    AvantiProfile.ValidateName(name);
                }
                catch (ArgumentException ex)
                {
                    Report(ex, name);
                    continue;
                }

                string what = "AvantiPS profile '" + name + "' in vault '" + Vault + "'";
                if (!AskToProcess(what, "Remove", ConfirmImpact.High, () => ProfileVault.ConfirmationRequired(Vault, name, "remove it"), name)) continue;
                try
                {
                    vault.Remove(Vault, name);
                    WriteVerbose("Removed " + what + ".");
                }
                catch (AvantiProfileException ex) when (ex.Error == ProfileError.NotFound)
                {
                    Report(ex, name);
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    Fail(ex, name);
                }
            }
        }
    }
}
