using System.Management.Automation;

namespace ClashModule
{
    /// <summary>Touches IdentityModel so that its 4.3.0 assembly is loaded, and reports which version that is.</summary>
    [Cmdlet(VerbsCommon.Get, "ClashIdentityModel")]
    [OutputType(typeof(string))]
    public sealed class GetClashIdentityModelCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var request = new IdentityModel.Client.PasswordTokenRequest { Address = "https://example.invalid/token" };
            WriteObject(request.GetType().Assembly.GetName().Version.ToString());
        }
    }
}
