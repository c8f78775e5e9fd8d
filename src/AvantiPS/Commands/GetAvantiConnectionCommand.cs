using System.Management.Automation;
using AvantiPS.Connections;

namespace AvantiPS.Commands
{
    /// <summary>Get-AvantiConnection: lists this runspace's open connections (no secret is ever part of them).</summary>
    [Cmdlet(VerbsCommon.Get, "AvantiConnection", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(AvantiConnection))]
    public sealed class GetAvantiConnectionCommand : AvantiCmdlet
    {
        const string NameSet = "Name";
        const string DefaultSet = "Default";

        /// <summary>Connection names to list; wildcards allowed.</summary>
        [Parameter(Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ConnectionNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Lists only the runspace's default connection.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
        public SwitchParameter Default { get; set; }

        protected override void ProcessRecord()
        {
            if (Default)
            {
                AvantiConnection connection = ConnectionRegistry.Default;
                if (connection != null) WriteObject(connection);
                return;
            }
            foreach (AvantiConnection connection in ConnectionRegistry.All)
            {
                if (Matches(connection.Name)) WriteObject(connection);
            }
        }

        bool Matches(string name)
        {
            if (Name == null) return true;
            foreach (string pattern in Name)
            {
                if (WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(name)) return true;
            }
            return false;
        }
    }
}
