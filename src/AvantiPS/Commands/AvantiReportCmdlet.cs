using System;
using System.Management.Automation;
using AvantiPS.Http;
using AvantiPS.Reports;

namespace AvantiPS.Commands
{
    /// <summary>
    /// What the report cmdlets share: the report ID (as a parameter or from the pipeline), the Reporter query
    /// parameters, -TimeoutSec, the progress bar, and a <see cref="ReportReader"/> set up from them.
    /// </summary>
    public abstract class AvantiReportCmdlet : AvantiRequestCmdlet
    {
        internal const string ByReportId = "ReportId";
        internal const string ByInput = "InputObject";

        /// <summary>The report ID of a web-enabled Report Designer report.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByReportId)]
        [Alias("Id")]
        [AllowEmptyString]
        public string ReportId { get; set; }

        /// <summary>Pipeline input: report ID strings, or objects with a ReportId (or Id) property.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInput)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        /// <summary>The first employee number of the range; requires -ToEmpNo.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string FromEmpNo { get; set; }

        /// <summary>The last employee number of the range; requires -FromEmpNo.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ToEmpNo { get; set; }

        /// <summary>The first date of the range; requires -ToDate.</summary>
        [Parameter]
        public DateTime FromDate { get; set; }

        /// <summary>The last date of the range; requires -FromDate.</summary>
        [Parameter]
        public DateTime ToDate { get; set; }

        /// <summary>Use (-Merge) or ignore (-Merge:$false) the options saved on the report definition; Avanti's default is to use them.</summary>
        [Parameter]
        public SwitchParameter Merge { get; set; }

        /// <summary>Active employees, inactive employees or all (ReportOptions active/inactive).</summary>
        [Parameter]
        public ReportEmployeeStatus EmployeeStatus { get; set; }

        /// <summary>The ReportOptions dateType (0 or 1).</summary>
        [Parameter]
        [ValidateRange(0, 1)]
        public int DateType { get; set; }

        /// <summary>The ReportOptions payRunType (0, 1 or 2).</summary>
        [Parameter]
        [ValidateRange(0, 2)]
        public int PayRunType { get; set; }

        /// <summary>Only employees of these pay groups.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] PayGroup { get; set; }

        /// <summary>Only employees of these location codes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Location { get; set; }

        /// <summary>Only the API user's own data (ReportOptions isEmployeeReport).</summary>
        [Parameter]
        public SwitchParameter EmployeeReport { get; set; }

        /// <summary>How long to wait for the answer to start, and for each part of it, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        int activity;

        /// <summary>
        /// The query for this pipeline input, checked; null after writing a non-terminating error (the next input
        /// still runs).
        /// </summary>
        internal ReportQuery NextQuery()
        {
            string reportId;
            try
            {
                reportId = ParameterSetName == ByInput ? ReportIdOf(InputObject) : ReportId;
            }
            catch (ArgumentException ex)
            {
                Report(ex, InputObject);
                return null;
            }
            ReportQuery query = BuildQuery(reportId);
            try
            {
                AvantiRequest request = query.ToRequest();
                WriteVerbose("Report " + query.ReportId + ": " + request.Method.Method + " " + request.Path + (query.NeedsOptions ? " with report options." : "."));
            }
            catch (ArgumentException ex)
            {
                Report(ex, reportId);
                return null;
            }
            return query;
        }

        /// <summary>A report ID string, or an object's ReportId or Id property; anything else is refused, not run as its ToString().</summary>
        static string ReportIdOf(PSObject input)
        {
            object value = input?.BaseObject;
            if (value is string text) return text;
            if (value != null && !(value is System.Collections.IDictionary))
            {
                PSPropertyInfo property = input.Properties["ReportId"] ?? input.Properties["Id"];
                if (property != null && property.Value != null)
                {
                    object id = property.Value is PSObject wrapped ? wrapped.BaseObject : property.Value;
                    if (id is string idText) return idText;
                    if (id.GetType().IsPrimitive) return Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            string kind = value == null ? "$null" : "a " + value.GetType().FullName;
            throw new ArgumentException("Pipeline input must be a report ID or an object with a ReportId property; got " + kind + ". For a hashtable, use [pscustomobject]@{ ReportId = 'WageSample' }, or pass -ReportId.");
        }

        ReportQuery BuildQuery(string reportId)
        {
            var bound = MyInvocation.BoundParameters;
            return new ReportQuery
            {
                ReportId = reportId,
                FromEmpNo = FromEmpNo,
                ToEmpNo = ToEmpNo,
                FromDate = bound.ContainsKey(nameof(FromDate)) ? FromDate : (DateTime?)null,
                ToDate = bound.ContainsKey(nameof(ToDate)) ? ToDate : (DateTime?)null,
                Merge = bound.ContainsKey(nameof(Merge)) ? Merge.IsPresent : (bool?)null,
                EmployeeStatus = bound.ContainsKey(nameof(EmployeeStatus)) ? EmployeeStatus : (ReportEmployeeStatus?)null,
                DateType = bound.ContainsKey(nameof(DateType)) ? DateType : (int?)null,
                PayRunType = bound.ContainsKey(nameof(PayRunType)) ? PayRunType : (int?)null,
                PayGroup = PayGroup,
                Location = Location,
                EmployeeReport = EmployeeReport,
            };
        }

        internal ReportReader NewReader(ReportQuery query) =>
            new ReportReader(ActiveConnection, query, Log, (ct, task) => Run(_ => task))
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaximumRetryCount = MaximumRetryCount,
                RetryInterval = RetryInterval,
            };

        /// <summary>A progress bar for one report; Complete() removes it if it was shown.</summary>
        internal ReportProgressBar NewProgressBar(ReportQuery query) => new ReportProgressBar(this, ++activity, "Avanti report " + query.ReportId);

        /// <summary>The progress bar of one report: megabytes and rows while receiving, then rows written.</summary>
        internal sealed class ReportProgressBar
        {
            readonly AvantiReportCmdlet cmdlet;
            readonly int id;
            readonly string activity;
            bool shown;

            public ReportProgressBar(AvantiReportCmdlet cmdlet, int id, string activity)
            {
                this.cmdlet = cmdlet;
                this.id = id;
                this.activity = activity;
            }

            public string WritingVerb { get; set; } = "Writing rows";

            public void Show(ReportProgress progress)
            {
                cmdlet.RelayLog();
                shown = true;
                // A record of its own each time: a host may keep the records it was given (as $ps.Streams.Progress does).
                var bar = new ProgressRecord(id, activity, "Requesting");
                string megabytes = (progress.Bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.CurrentCulture) + " MB";
                if (progress.Downloading)
                {
                    bar.StatusDescription = "Receiving: " + megabytes + ", " + progress.Rows + " rows";
                    bar.PercentComplete = -1;
                }
                else
                {
                    bar.StatusDescription = WritingVerb + ": " + progress.Rows + " of " + progress.TotalRows + " (" + megabytes + " received)";
                    bar.PercentComplete = progress.TotalRows > 0 ? (int)Math.Min(100, progress.Rows * 100 / progress.TotalRows) : -1;
                }
                cmdlet.WriteProgress(bar);
            }

            public void Complete()
            {
                if (!shown) return;
                cmdlet.WriteProgress(new ProgressRecord(id, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
