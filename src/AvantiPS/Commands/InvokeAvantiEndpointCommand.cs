using System;
using System.Collections;
using System.Collections.Generic;
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
    [OutputType(typeof(PSObject), typeof(System.Collections.Specialized.OrderedDictionary), typeof(byte[]), typeof(string))]
    public sealed class InvokeAvantiEndpointCommand : AvantiRequestCmdlet
    {
        const string ObjectsSet = "Objects";
        const string RawSet = "Raw";
        const string FileSet = "OutFile";

        /// <summary>The operation path, e.g. /v1/PersonalInfo, or a template such as /v1/Reporter/{id} with -PathParameter.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(EndpointPathCompleter))]
        public string Path { get; set; }

        /// <summary>The HTTP method; defaults to the catalog's method when the path has only one, else GET.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(EndpointMethodCompleter))]
        public string Method { get; set; }

        /// <summary>Values for the {placeholders} of -Path; each is escaped as one path segment.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EndpointParameterCompleter))]
        public IDictionary PathParameter { get; set; }

        /// <summary>Query parameters; arrays repeat the key, dates are sent as ISO 8601, booleans as true/false.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EndpointParameterCompleter))]
        public IDictionary Query { get; set; }

        /// <summary>The request body: a hashtable, object or array (sent as JSON), a string or byte[] (sent as is).</summary>
        [Parameter]
        public object Body { get; set; }

        /// <summary>The body's content type; application/json by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContentType { get; set; }

        /// <summary>Extra request headers (as Invoke-RestMethod); Authorization and x-tenant belong to the connection.</summary>
        [Parameter]
        public IDictionary Headers { get; set; }

        /// <summary>Reads every page of an operation that pages (skip and take) and writes the items as each page arrives.</summary>
        [Parameter(ParameterSetName = ObjectsSet)]
        public SwitchParameter All { get; set; }

        /// <summary>How many items -All asks for with each request.</summary>
        [Parameter(ParameterSetName = ObjectsSet)]
        [ValidateRange(1, 10000)]
        public int PageSize { get; set; } = 100;

        /// <summary>Writes JSON objects as ordered hashtables instead of PSCustomObjects (as ConvertFrom-Json -AsHashtable).</summary>
        [Parameter(ParameterSetName = ObjectsSet)]
        [Parameter(ParameterSetName = FileSet)]
        public SwitchParameter AsHashtable { get; set; }

        /// <summary>Writes the answer whatever its HTTP status, instead of an error; see -StatusCodeVariable.</summary>
        [Parameter]
        public SwitchParameter SkipHttpErrorCheck { get; set; }

        /// <summary>Saves the answer's body to this file (complete or not at all) instead of writing objects; an existing folder takes the file name from the answer.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; }

        /// <summary>With -OutFile: also writes the answer as objects.</summary>
        [Parameter(ParameterSetName = FileSet)]
        public SwitchParameter PassThru { get; set; }

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

        /// <summary>
        /// How date-time strings in the answer become values: AsSent (the default: DateTimeOffset when Avanti sent an
        /// offset or Z, DateTime when not, the day and time sent) or one of ConvertFrom-Json's -DateKind choices.
        /// </summary>
        [Parameter]
        public AvantiDateKind DateKind { get; set; }

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
            EndpointPager pager = null;
            try
            {
                call = EndpointCall.Create(EndpointCatalog.Default, Path, Method, PathParameter, Query, Body, ContentType, Headers);
                if (All) pager = new EndpointPager(call, PageSize);
                else if (MyInvocation.BoundParameters.ContainsKey(nameof(PageSize))) throw new ArgumentException("-PageSize is the page size of -All; add -All to read every page, or pass take in -Query or -Body for one request.");
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
            request.AcceptAnyStatus = SkipHttpErrorCheck;
            WriteVerbose(call + (call.Operation != null ? " (" + call.Operation.Name + ")" : string.Empty) + (request.IsRetrySafe ? string.Empty : "; not retried: it changes data.")
                + (pager != null ? "; every page, " + pager.PageSize + " items per request." : string.Empty));

            var reading = new EndpointReading
            {
                Output = ParameterSetName == FileSet ? EndpointOutput.File : ParameterSetName == RawSet ? EndpointOutput.Raw : EndpointOutput.Objects,
                PassThru = PassThru,
                ExpectsBinary = call.ExpectsBinary,
                Converter = new Json.JsonValueConverter(DateKind, AsHashtable),
            };
            if (reading.Output == EndpointOutput.File) reading.OutFile = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            try
            {
                if (pager == null)
                {
                    Send(request, reading, null);
                }
                else
                {
                    // A downstream -First stops the pipeline inside Send, so no further page is asked for.
                    AvantiRequest page;
                    while ((page = pager.NextRequest()) != null && Send(page, reading, pager)) { }
                    WriteVerbose(pager.ToString());
                }
                RelayLog();
            }
            catch (AvantiApiException ex)
            {
                // One failed call is one bad input among several: the pipeline goes on, as with Get-AvantiReport.
                SetVariable(StatusCodeVariable, ex.StatusCode);
                SetVariable(ResponseHeadersVariable, ex.ResponseHeaders);
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

        /// <summary>Sends one request and writes its answer (a page's items when paging); false when the status was an error (-SkipHttpErrorCheck).</summary>
        bool Send(AvantiRequest request, EndpointReading reading, EndpointPager pager)
        {
            using (AvantiResponse response = Run(ct => ActiveConnection.Pipeline.SendAsync(request, Log, ct)))
            {
                SetVariable(StatusCodeVariable, response.StatusCode);
                SetVariable(ResponseHeadersVariable, response.Headers());
                bool success = response.StatusCode >= 200 && response.StatusCode < 300;
                IEnumerable<object> answer = EndpointResponseReader.Read(response, reading, Log, Cancellation);
                if (pager != null && success) answer = pager.Items(answer);
                foreach (object item in answer)
                {
                    RelayLog();
                    WriteObject(item, false);
                }
                return success;
            }
        }

        /// <summary>
        /// ShouldProcess for every change (-WhatIf, -Confirm). A DELETE also asks by default, as ConfirmImpact High
        /// would, unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
        /// </summary>
        bool Confirmed(EndpointCall call)
        {
            string action = call.Operation?.Summary ?? call.Method;
            // A host where no one can answer gets an AvantiConfirmationRequired error instead of a prompt; it is
            // non-terminating, so -ErrorAction applies and the other pipeline input still runs.
            if (!AskToProcess(call.ToString(), action, ConfirmImpact.Medium, () => HostCannotAskException.Confirmation(call + " (it changes data)", "-Confirm:$false"), call.ToString(), terminating: false)) return false;
            if (!call.IsDelete || Force) return true;
            if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            object preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference != null && string.Equals(preference.ToString(), "None", StringComparison.OrdinalIgnoreCase)) return true;
            return AskToContinue("Delete with " + call + "? This cannot be undone.", action + " (use -Force or -Confirm:$false to skip this question)",
                () => HostCannotAskException.Confirmation("Deleting with " + call + " (it cannot be undone)", "-Force (or -Confirm:$false)"), call.ToString(), terminating: false);
        }

        void SetVariable(string name, object value)
        {
            if (!string.IsNullOrEmpty(name)) SessionState.PSVariable.Set(name, value);
        }
    }
}
