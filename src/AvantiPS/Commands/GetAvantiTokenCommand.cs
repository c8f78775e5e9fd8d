using System;
using System.Management.Automation;
using AvantiPS.Auth;
using AvantiPS.Connections;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Get-AvantiToken: the connection's current access token, renewed first when it is expired or about to be.
    /// The token is a SecureString unless -AsPlainText.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AvantiToken")]
    [OutputType(typeof(AvantiTokenInfo))]
    public sealed class GetAvantiTokenCommand : AvantiConnectedCmdlet
    {
        /// <summary>Gets a new token even if the cached one is still fresh.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Returns the token as a plain string, for tools that need it that way.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessRecord()
        {
            AvantiConnection connection = ResolveConnection(Connection);
            AvantiToken token;
            try
            {
                token = Run(ct => connection.Tokens.GetAsync(Force, Log, ct));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                Fail(ex, connection);
                return;
            }
            object value = AsPlainText ? (object)token.AccessToken : AvantiTokenInfo.Protect(token.AccessToken);
            WriteObject(new AvantiTokenInfo(value, token, connection.Tenant, connection.Name));
        }
    }
}
