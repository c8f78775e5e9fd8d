using System;
using System.Linq;
using System.Management.Automation;
using AvantiPS.Catalog;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Get-AvantiEndpoint: lists the operations of the Avanti API that the module's catalog knows (from Avanti's own
    /// OpenAPI document), filtered by name, path and method.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AvantiEndpoint")]
    [OutputType(typeof(AvantiEndpoint))]
    public sealed class GetAvantiEndpointCommand : PSCmdlet
    {
        /// <summary>Operation IDs to list, e.g. Get-Employee-Personal-Info; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(EndpointNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Paths to list, e.g. /v1/PersonalInfo or *Photo*; wildcards allowed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(EndpointPathCompleter))]
        public string[] Path { get; set; }

        /// <summary>Only operations that page (skip and take), which Invoke-AvantiEndpoint -All reads in full.</summary>
        [Parameter]
        public SwitchParameter Paged { get; set; }

        /// <summary>Only operations with these HTTP methods.</summary>
        [Parameter]
        [ValidateSet("GET", "POST", "PUT", "DELETE", IgnoreCase = true)]
        public string[] Method { get; set; }

        protected override void ProcessRecord()
        {
            WildcardPattern[] names = Patterns(Name);
            WildcardPattern[] paths = Patterns(Path);
            foreach (AvantiEndpoint operation in EndpointCatalog.Default.Operations)
            {
                if (names != null && !names.Any(p => p.IsMatch(operation.Name))) continue;
                if (paths != null && !paths.Any(p => p.IsMatch(operation.Path))) continue;
                if (Paged && !operation.CanPage) continue;
                if (Method != null && !Method.Any(m => string.Equals(m, operation.Method, StringComparison.OrdinalIgnoreCase))) continue;
                WriteObject(operation);
            }
        }

        static WildcardPattern[] Patterns(string[] values) =>
            values?.Select(v => new WildcardPattern(v, WildcardOptions.IgnoreCase)).ToArray();
    }
}
