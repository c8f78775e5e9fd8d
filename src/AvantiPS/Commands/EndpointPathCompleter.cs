using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AvantiPS.Catalog;

namespace AvantiPS.Commands
{
    /// <summary>Tab completion of -Path from the endpoint catalog: paths that start with (else contain) what was typed.</summary>
    public sealed class EndpointPathCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string method = Completions.Bound(fakeBoundParameters, "Method");
            IEnumerable<AvantiEndpoint> operations = EndpointCatalog.Default.Operations;
            if (!string.IsNullOrEmpty(method))
            {
                operations = operations.Where(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase));
            }
            IEnumerable<IGrouping<string, AvantiEndpoint>> paths = operations.GroupBy(o => o.Path, StringComparer.OrdinalIgnoreCase);
            foreach (IGrouping<string, AvantiEndpoint> path in Completions.Matching(paths, p => p.Key, Completions.Typed(wordToComplete)).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
            {
                string tip = string.Join("; ", path.Select(o => o.Method + ": " + o.Summary));
                yield return new CompletionResult(Completions.Quote(path.Key), path.Key, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
