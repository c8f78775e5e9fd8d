using System.Linq;
using System.Management.Automation;
using AvantiPS.Connections;

namespace AvantiPS.Commands
{
    /// <summary>Disconnect-Avanti: closes connections and drops their secrets and tokens from memory.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Avanti", DefaultParameterSetName = ConnectionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectAvantiCommand : AvantiCmdlet
    {
        const string ConnectionSet = "Connection";
        const string AllSet = "All";
        const string NameSet = "Name";

        /// <summary>The connection to close; the default connection when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = ConnectionSet)]
        [ValidateNotNull]
        [ConnectionArgument]
        public AvantiConnection Connection { get; set; }

        /// <summary>Closes this runspace's connections with these names; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ConnectionNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Closes every connection of this runspace.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        protected override void ProcessRecord()
        {
            if (All)
            {
                foreach (AvantiConnection each in ConnectionRegistry.All) Close(each);
                return;
            }
            if (Name != null)
            {
                foreach (string name in Name)
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    AvantiConnection[] named = ConnectionRegistry.All.Where(c => pattern.IsMatch(c.Name)).ToArray();
                    if (named.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        WriteError(new ErrorRecord(
                            new ItemNotFoundException("This runspace has no Avanti connection named '" + name + "'. Get-AvantiConnection lists them."),
                            "AvantiConnectionNotFound", ErrorCategory.ObjectNotFound, name));
                    }
                    foreach (AvantiConnection each in named) Close(each);
                }
                return;
            }
            AvantiConnection connection = Connection ?? ConnectionRegistry.Default;
            if (connection == null)
            {
                WriteError(ErrorRecords.NotConnected("There is no default Avanti connection to close (pass -Connection, or -All)."));
                return;
            }
            Close(connection);
        }

        void Close(AvantiConnection connection)
        {
            if (!AskToProcess(connection.Name + " (" + connection.UserName + ")", "Disconnect", ConfirmImpact.Low,
                    () => HostCannotAskException.Confirmation("Closing the connection '" + connection.Name + "'", "-Confirm:$false"), connection, terminating: false))
            {
                return;
            }
            ConnectionRegistry.Remove(connection);
            connection.Dispose();
            WriteVerbose("Closed the connection '" + connection.Name + "'; its token and secrets are dropped.");
        }
    }
}
