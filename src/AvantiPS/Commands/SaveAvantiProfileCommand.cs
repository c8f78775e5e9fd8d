using System;
using System.Management.Automation;
using AvantiPS.Connections;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Save-AvantiProfile: saves a working connection as a named profile in a SecretManagement vault (one Hashtable
    /// secret named AvantiPS.&lt;ProfileName&gt;), so Connect-Avanti -Vault can connect later with no person and no
    /// secret in the script. Replacing a profile asks first unless -Force.
    /// </summary>
    [Cmdlet(VerbsData.Save, "AvantiProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AvantiProfileInfo))]
    public sealed class SaveAvantiProfileCommand : AvantiCmdlet
    {
        /// <summary>The connection to save; the runspace's default connection when omitted.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        [ConnectionArgument]
        public AvantiConnection Connection { get; set; }

        /// <summary>The name of the SecretManagement vault to save into.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        /// <summary>The profile name; Default by default.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; } = AvantiProfile.DefaultName;

        /// <summary>Replaces an existing profile of the same name without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the saved profile (as Get-AvantiProfile lists it) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            AvantiConnection connection = ResolveConnection(Connection);
            try
            {
                AvantiProfile.ValidateName(ProfileName);
            }
            catch (ArgumentException ex)
            {
                Fail(ex, ProfileName);
                return;
            }

            string what = "AvantiPS profile '" + ProfileName + "' in vault '" + Vault + "'";
            if (!AskToProcess(what, "Save connection '" + connection.Name + "' (" + connection.UserName + ")", ConfirmImpact.Medium,
                     () => ProfileVault.ConfirmationRequired(Vault, ProfileName, "save it"), ProfileName))
            {
                return;
            }

            var vault = new ProfileVault(new SecretManagementClient());
            bool exists = false;
            try
            {
                exists = vault.Exists(Vault, ProfileName, "save");
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                Fail(ex, ProfileName);
            }
            if (exists && !Force)
            {
                bool replace = AskToContinue(
                    "Vault '" + Vault + "' already has the AvantiPS profile '" + ProfileName + "'. Replace it with connection '" + connection.Name + "' (" + connection.UserName + ")?", "Replace AvantiPS profile",
                    () => ProfileVault.AlreadyExists(Vault, ProfileName), ProfileName);
                if (!replace) return;
            }

            ConnectionSettings settings = connection.ExportSettings();
            AvantiProfileInfo saved = null;
            try
            {
                saved = vault.Save(settings, Vault, ProfileName, DateTime.UtcNow);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                Fail(ex, ProfileName);
            }
            finally
            {
                settings.ClientSecret.Dispose();
                settings.Password.Dispose();
            }

            WriteVerbose("Saved connection '" + connection.Name + "' as " + what + " (secret " + saved.SecretName + "). Connect with: Connect-Avanti -Vault " + Vault
                + (ProfileName == AvantiProfile.DefaultName ? string.Empty : " -ProfileName " + ProfileName) + ".");
            if (PassThru) WriteObject(saved);
        }
    }
}
