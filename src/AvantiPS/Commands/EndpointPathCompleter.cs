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
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string method = fakeBoundParameters?["Method"] as string;
            IEnumerable<AvantiEndpoint> operations = EndpointCatalog.Default.Operations;
            if (!string.IsNullOrEmpty(method))
            {
                operations = operations.Where(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase));
            }
            List<IGrouping<string, AvantiEndpoint>> paths = operations.GroupBy(o => o.Path, StringComparer.OrdinalIgnoreCase).ToList();
            IEnumerable<IGrouping<string, AvantiEndpoint>> chosen = paths.Where(p => p.Key.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (!chosen.Any())
            {
                chosen = paths.Where(p => p.Key.IndexOf(typed, StringComparison.OrdinalIgnoreCase) >= 0);
            }
            foreach (IGrouping<string, AvantiEndpoint> path in chosen.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
            {
                string text = path.Key.IndexOfAny(new[] { '{', '}', ' ', '\'' }) >= 0 ? "'" + path.Key.Replace("'", "''") + "'" : path.Key;
                string tip = string.Join("; ", path.Select(o => o.Method + ": " + o.Summary));
                yield return new CompletionResult(text, path.Key, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
