using System;
using System.Collections;
using System.Management.Automation;
using AvantiPS.Catalog;
using AvantiPS.Connections;
using AvantiPS.Endpoints;
using AvantiPS.Http;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Invoke-AvantiEndpoint: calls any operation of the Avanti API and writes the answer as objects (a JSON array
    /// one element at a time, as it arrives). Operations that change data ask first (-WhatIf, -Confirm); DELETE asks
    /// by default, as a high-impact change, unless -Force or -Confirm:$false.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AvantiEndpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ObjectsSet)]
    [OutputType(typeof(PSObject), typeof(byte[]), typeof(string))]
    public sealed class InvokeAvantiEndpointCommand : AvantiRequestCmdlet
    {
        const string ObjectsSet = "Objects";
        const string RawSet = "Raw";
        const string FileSet = "OutFile";

        /// <summary>The operation path, e.g. /v1/PersonalInfo, or a template such as /v1/Reporter/{id} with -PathParameter.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(EndpointPathCompleter))]
        public string Path { get; set; }

        /// <summary>The HTTP method; defaults to the catalog's method when the path has only one.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateSet("GET", "POST", "PUT", "DELETE", "PATCH", IgnoreCase = true)]
        public string Method { get; set; }

        /// <summary>Values for the {placeholders} of -Path; each is escaped as one path segment.</summary>
        [Parameter]
        public IDictionary PathParameter { get; set; }

        /// <summary>Query parameters; arrays repeat the key, dates are sent as ISO 8601, booleans as true/false.</summary>
        [Parameter]
        public IDictionary Query { get; set; }

        /// <summary>The request body: a hashtable, object or array (sent as JSON), a string or byte[] (sent as is).</summary>
        [Parameter]
        public object Body { get; set; }

        /// <summary>The body's content type; application/json by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContentType { get; set; }

        /// <summary>Saves the answer's body to this file (complete or not at all) instead of writing objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; }

        /// <summary>Writes the answer as one string (byte[] when binary) instead of objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RawSet)]
        public SwitchParameter Raw { get; set; }

        /// <summary>Sends a DELETE without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How long to wait for the answer to start, and for each part of it, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>The name of a variable to set to the answer's HTTP status code.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StatusCodeVariable { get; set; }

        /// <summary>The name of a variable to set to the answer's headers (a dictionary of name to values).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ResponseHeadersVariable { get; set; }

        protected override void ProcessRecord()
        {
            EndpointCall call;
            try
            {
                call = EndpointCall.Create(EndpointCatalog.Default, Path, Method, PathParameter, Query, Body, ContentType);
            }
            catch (ArgumentException ex)
            {
                Report(ex, Path);
                return;
            }
            foreach (string warning in call.Warnings) WriteWarning(warning);
            if (call.ChangesData && !Confirmed(call)) return;

            AvantiRequest request = call.Request;
            request.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            request.MaximumRetryCount = MaximumRetryCount;
            request.RetryInterval = RetryInterval;
            WriteVerbose(call + (call.Operation != null ? " (" + call.Operation.Name + ")" : string.Empty) + (request.IsRetrySafe ? string.Empty : "; not retried: it changes data."));

            EndpointOutput output = ParameterSetName == FileSet ? EndpointOutput.File : ParameterSetName == RawSet ? EndpointOutput.Raw : EndpointOutput.Objects;
            string outFile = output == EndpointOutput.File ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile) : null;
            try
            {
                using (AvantiResponse response = Run(ct => ActiveConnection.Pipeline.SendAsync(request, Log, ct)))
                {
                    SetVariable(StatusCodeVariable, response.StatusCode);
                    SetVariable(ResponseHeadersVariable, response.Headers());
                    foreach (object item in EndpointResponseReader.Read(response, output, outFile, call.ExpectsBinary, Log, Cancellation))
                    {
                        RelayLog();
                        WriteObject(item, false);
                    }
                }
                RelayLog();
            }
            catch (AvantiApiException ex)
            {
                // One failed call is one bad input among several: the pipeline goes on, as with Get-AvantiReport.
                SetVariable(StatusCodeVariable, ex.StatusCode);
                Report(ex, call.ToString());
            }
            catch (ArgumentException ex)
            {
                Report(ex, call.ToString());
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                Fail(ex, call.ToString());
            }
        }

        /// <summary>
        /// ShouldProcess for every change (-WhatIf, -Confirm). A DELETE also asks by default, as ConfirmImpact High
        /// would, unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
        /// </summary>
        bool Confirmed(EndpointCall call)
        {
            string action = call.Operation?.Summary ?? call.Method;
            if (!ShouldProcess(call.ToString(), action)) return false;
            if (!call.IsDelete || Force) return true;
            if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            object preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference != null && string.Equals(preference.ToString(), "None", StringComparison.OrdinalIgnoreCase)) return true;
            return ShouldContinue("Delete with " + call + "? This cannot be undone.", action + " (use -Force or -Confirm:$false to skip this question)");
        }

        void SetVariable(string name, object value)
        {
            if (!string.IsNullOrEmpty(name)) SessionState.PSVariable.Set(name, value);
        }
    }
}
