using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AvantiPS.Connections;

namespace AvantiPS.Commands
{
    /// <summary>Tab completion of a connection -Name (Get-AvantiConnection, Disconnect-Avanti): this runspace's connections.</summary>
    public sealed class ConnectionNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IEnumerable<AvantiConnection> connections = Completions.Matching(ConnectionRegistry.All, c => c.Name ?? string.Empty, Completions.Typed(wordToComplete));
            foreach (AvantiConnection connection in connections.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(Completions.Quote(connection.Name), connection.Name, CompletionResultType.ParameterValue, connection.ToString());
            }
        }
    }
}
