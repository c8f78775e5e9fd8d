using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AvantiPS.Catalog;

namespace AvantiPS.Commands
{
    /// <summary>Tab completion of Get-AvantiEndpoint -Name: Avanti's operation IDs from the catalog.</summary>
    public sealed class EndpointNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IEnumerable<AvantiEndpoint> operations = Completions.Matching(EndpointCatalog.Default.Operations, o => o.Name, Completions.Typed(wordToComplete));
            foreach (AvantiEndpoint operation in operations.OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(Completions.Quote(operation.Name), operation.Name, CompletionResultType.ParameterValue, operation + ": " + operation.Summary);
            }
        }
    }
}
