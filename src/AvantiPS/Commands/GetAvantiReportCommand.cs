using System;
using System.Management.Automation;
using AvantiPS.Connections;
using AvantiPS.Reports;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Get-AvantiReport: runs a Report Designer report through the Reporter endpoint and writes its rows to the
    /// pipeline, each with the report's full column set.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AvantiReport")]
    [OutputType("AvantiPS.ReportRow")]
    public sealed class GetAvantiReportCommand : AvantiRequestCmdlet
    {
        /// <summary>The report ID of a web-enabled Report Designer report.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [AllowEmptyString]
        public string ReportId { get; set; }

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

        /// <summary>
        /// The columns to output, in this order. Rows then stream as they arrive instead of after the download, and
        /// other columns are dropped.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Property { get; set; }

        /// <summary>How long to wait for the answer to start, and for each part of it, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        int activity;

        protected override void ProcessRecord()
        {
            ReportQuery query = BuildQuery();
            AvantiPS.Http.AvantiRequest request;
            try
            {
                request = query.ToRequest();
            }
            catch (ArgumentException ex)
            {
                Report(ex, ReportId);
                return;
            }

            WriteVerbose("Report " + query.ReportId + ": " + request.Method.Method + " " + request.Path + (query.NeedsOptions ? " with report options." : "."));
            var reader = new ReportReader(ActiveConnection, query, Log, (ct, task) => Run(_ => task))
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaximumRetryCount = MaximumRetryCount,
                RetryInterval = RetryInterval,
            };
            int id = ++activity;
            var bar = new ProgressRecord(id, "Avanti report " + query.ReportId, "Requesting");
            bool shown = false;
            try
            {
                foreach (object row in reader.Read(Property, p => { RelayLog(); shown = true; WriteProgress(Describe(bar, p)); }, Cancellation))
                {
                    WriteObject(row);
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                if (ex is AvantiPS.Http.AvantiApiException || ex is ArgumentException)
                {
                    // A report that cannot run is one bad input among several; the next report ID still runs.
                    Report(ex, query.ReportId);
                    return;
                }
                Fail(ex, query.ReportId);
            }
            finally
            {
                if (shown)
                {
                    bar.RecordType = ProgressRecordType.Completed;
                    WriteProgress(bar);
                }
            }
            RelayLog();
        }

        ReportQuery BuildQuery()
        {
            var bound = MyInvocation.BoundParameters;
            return new ReportQuery
            {
                ReportId = ReportId,
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

        static ProgressRecord Describe(ProgressRecord bar, ReportProgress progress)
        {
            string megabytes = (progress.Bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.CurrentCulture) + " MB";
            if (progress.Downloading)
            {
                bar.StatusDescription = "Receiving: " + megabytes + ", " + progress.Rows + " rows";
                bar.PercentComplete = -1;
            }
            else
            {
                bar.StatusDescription = "Writing rows: " + progress.Rows + " of " + progress.TotalRows + " (" + megabytes + " received)";
                bar.PercentComplete = progress.TotalRows > 0 ? (int)Math.Min(100, progress.Rows * 100 / progress.TotalRows) : -1;
            }
            return bar;
        }
    }
}
