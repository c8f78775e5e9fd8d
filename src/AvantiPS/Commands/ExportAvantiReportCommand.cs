using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using AvantiPS.Reports;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Export-AvantiReport: runs a Report Designer report and writes it straight to a CSV, JSON Lines or JSON file,
    /// with every column of the report and every value as Avanti sent it; the file appears only when complete.
    /// </summary>
    [Cmdlet(VerbsData.Export, "AvantiReport", DefaultParameterSetName = ByReportId, SupportsShouldProcess = true)]
    [OutputType(typeof(ReportExport))]
    public sealed class ExportAvantiReportCommand : AvantiReportCmdlet
    {
        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Csv (the default), JsonLines or Json.</summary>
        [Parameter]
        public ReportFileFormat Format { get; set; } = ReportFileFormat.Csv;

        /// <summary>The CSV field separator: one ASCII character other than a quote or a line break.</summary>
        [Parameter]
        public char Delimiter { get; set; } = ',';

        /// <summary>utf8 or utf8NoBOM (UTF-8 without a byte order mark, the default), or utf8BOM (for Excel).</summary>
        [Parameter]
        [ValidateSet("utf8", "utf8NoBOM", "utf8BOM", IgnoreCase = true)]
        public string Encoding { get; set; } = "utf8";

        /// <summary>Replaces a read-only file too.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Never replaces an existing file.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Writes a summary of each file written (rows, columns, bytes, seconds) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var clock = Stopwatch.StartNew();
            if (Delimiter > 127 || Delimiter == '"' || Delimiter == '\r' || Delimiter == '\n')
            {
                Fail(new ArgumentException("-Delimiter must be one ASCII character other than a quote or a line break, such as ',', ';', '|' or \"`t\"."), Delimiter);
            }
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            ReportQuery query = NextQuery();
            if (query == null) return;
            if (!ShouldProcess(path, "Export Avanti report " + query.ReportId + " as " + Format)) return;
            if (!CheckTarget(path)) return;

            ReportReader reader = NewReader(query);
            ReportProgressBar bar = NewProgressBar(query);
            bar.WritingVerb = "Writing " + Format;
            ReportFileWriter writer = null;
            try
            {
                using (var file = new AtomicFile(path, overwrite: !NoClobber))
                {
                    bool bom = string.Equals(Encoding, "utf8BOM", StringComparison.OrdinalIgnoreCase);
                    foreach (ReportFileWriter row in reader.Read(null, columns => writer = new ReportFileWriter(file.Stream, columns, Format, Delimiter, bom), bar.Show, Cancellation))
                    {
                    }
                    writer.Finish();
                    file.Commit();
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                if (ex is OperationCanceledException) throw new PipelineStoppedException();
                if (ex is AvantiPS.Http.AvantiApiException || ex is ArgumentException || ex is ReportFileException)
                {
                    // A report that cannot run, or a file that cannot be written, is one bad input among several.
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
            WriteVerbose("Report " + query.ReportId + ": " + reader.RowsWritten + " rows written to " + path + ".");
            if (PassThru)
            {
                WriteObject(new ReportExport(query.ReportId, path, Format, reader.RowsWritten, reader.Columns.Count, writer.Bytes, Math.Round(clock.Elapsed.TotalSeconds, 3)));
            }
        }

        /// <summary>-NoClobber and read-only files, checked before anything is sent.</summary>
        bool CheckTarget(string path)
        {
            if (Directory.Exists(path))
            {
                Report(new ReportFileException(ReportFileError.WriteFailed, "'" + path + "' is a folder. Give the path of a file, for example " + System.IO.Path.Combine(path, "report.csv") + "."), path);
                return false;
            }
            if (!File.Exists(path)) return true;
            if (NoClobber)
            {
                Report(new ReportFileException(ReportFileError.Exists, "'" + path + "' exists and -NoClobber was given; it is left as it is. Remove -NoClobber to replace it."), path);
                return false;
            }
            if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
            {
                if (!Force)
                {
                    Report(new ReportFileException(ReportFileError.ReadOnly, "'" + path + "' is read-only. Add -Force to replace it."), path);
                    return false;
                }
                File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);
            }
            return true;
        }
    }
}
