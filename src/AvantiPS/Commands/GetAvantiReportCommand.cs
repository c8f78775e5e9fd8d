using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using AvantiPS.Loading;
using AvantiPS.Reports;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Get-AvantiReport: runs a Report Designer report through the Reporter endpoint and writes its rows to the
    /// pipeline, each with the report's full column set.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AvantiReport", DefaultParameterSetName = ByReportId)]
    [OutputType("AvantiPS.ReportRow")]
    public sealed class GetAvantiReportCommand : AvantiReportCmdlet
    {
        /// <summary>
        /// The columns to output, in this order. Rows then stream as they arrive instead of after the download, and
        /// other columns are dropped.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Property { get; set; }

        /// <summary>
        /// How date-time values become objects: AsSent (the default: DateTimeOffset when Avanti sent an offset or Z,
        /// DateTime when not, the day and time sent) or one of ConvertFrom-Json's -DateKind choices.
        /// </summary>
        [Parameter]
        public AvantiDateKind DateKind { get; set; }

        protected override void ProcessRecord()
        {
            ReportQuery query = NextQuery();
            if (query == null) return;

            ReportReader reader = NewReader(query);
            ReportProgressBar bar = NewProgressBar(query);
            ReportRowBuilder builder = null;
            try
            {
                WriteRows(reader.Read(Property, columns => builder = new ReportRowBuilder(columns, query.ReportId, new AvantiPS.Json.JsonValueConverter(DateKind)), bar.Show, Cancellation));
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
                bar.Complete();
            }
            RelayLog();
            WarnUnseen(query, reader, builder);
        }

        /// <summary>
        /// Writes each row as it is read. The loop runs once per row, so it is a method of its own, compiled optimised
        /// from the start rather than replaced mid-loop, which in a fresh process cost a pause for every report.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        void WriteRows(IEnumerable<ReportRowBuilder> rows)
        {
            foreach (ReportRowBuilder row in rows)
            {
                WriteObject(row.Current);
            }
        }

        /// <summary>A -Property name that no row had would otherwise be a silent column of $null.</summary>
        void WarnUnseen(ReportQuery query, ReportReader reader, ReportRowBuilder builder)
        {
            if (Property == null || builder == null || reader.RowsWritten == 0) return;
            string[] unseen = builder.UnseenColumns.ToArray();
            if (unseen.Length == 0) return;
            WriteWarning("Report " + query.ReportId + ": no row of the " + reader.RowsWritten + " had " + (unseen.Length == 1 ? "the column " : "the columns ")
                + string.Join(", ", unseen) + ", so " + (unseen.Length == 1 ? "it is" : "they are") + " $null in every row. Check the spelling against the report's columns (Get-AvantiReport " + query.ReportId + " | Select-Object -First 1).");
        }
    }
}
