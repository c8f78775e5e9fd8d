using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AvantiPS.Catalog;

namespace AvantiPS.Commands
{
    /// <summary>Tab completion of Invoke-AvantiEndpoint -Method: the methods the chosen -Path has (all Avanti uses when no path is typed yet).</summary>
    public sealed class EndpointMethodCompleter : IArgumentCompleter
    {
        static readonly string[] AvantiMethods = { "GET", "POST", "PUT", "DELETE" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string path = Completions.Bound(fakeBoundParameters, "Path");
            IReadOnlyList<AvantiEndpoint> operations = string.IsNullOrWhiteSpace(path) ? new AvantiEndpoint[0] : EndpointCatalog.Default.Match(path.Trim());
            IEnumerable<string> methods = operations.Count > 0 ? AvantiMethods.Where(m => operations.Any(o => o.Method == m)) : AvantiMethods;
            string typed = Completions.Typed(wordToComplete);
            foreach (string method in methods.Where(m => m.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            {
                AvantiEndpoint operation = operations.FirstOrDefault(o => o.Method == method);
                yield return new CompletionResult(method, method, CompletionResultType.ParameterValue, operation != null ? operation + ": " + operation.Summary : method);
            }
        }
    }
}
