using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AvantiPS.Catalog;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Tab completion of Invoke-AvantiEndpoint -Query and -PathParameter for the chosen -Path (and -Method): a
    /// hashtable with the operation's keys. PowerShell does not ask argument completers about keys typed inside @{ },
    /// so the completion is the whole hashtable: one per query parameter (those starting with what was typed), and
    /// one with every path placeholder.
    /// </summary>
    public sealed class EndpointParameterCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string path = Completions.Bound(fakeBoundParameters, "Path");
            if (string.IsNullOrWhiteSpace(path)) yield break;
            IReadOnlyList<AvantiEndpoint> matches = EndpointCatalog.Default.Match(path.Trim());
            string method = Completions.Bound(fakeBoundParameters, "Method");
            AvantiEndpoint operation = !string.IsNullOrEmpty(method)
                ? matches.FirstOrDefault(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase))
                : matches.Count == 1 ? matches[0] : matches.FirstOrDefault(o => o.Method == "GET");
            if (operation == null) yield break;

            string typed = Completions.Typed(wordToComplete).TrimStart('@', '{', ' ');
            if (string.Equals(parameterName, "PathParameter", StringComparison.OrdinalIgnoreCase))
            {
                if (operation.PathParameters.Length == 0) yield break;
                string all = "@{ " + string.Join("; ", operation.PathParameters.Select(p => p + " = ''")) + " }";
                yield return new CompletionResult(all, string.Join(", ", operation.PathParameters), CompletionResultType.ParameterValue, "The placeholders of " + operation.Path);
                yield break;
            }
            foreach (AvantiEndpointParameter parameter in operation.QueryParameters.Where(p => p.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            {
                string text = "@{ " + parameter.Name + " = " + Placeholder(parameter.Type) + " }";
                yield return new CompletionResult(text, parameter.Name, CompletionResultType.ParameterValue, parameter.Name + " (" + parameter.Type + (parameter.Required ? ", required" : string.Empty) + ") of " + operation);
            }
        }

        static string Placeholder(string type)
        {
            switch (type)
            {
                case "boolean": return "$true";
                case "int32":
                case "int64":
                case "integer":
                case "number":
                case "double":
                    return "0";
                default:
                    return "''";
            }
        }
    }
}
