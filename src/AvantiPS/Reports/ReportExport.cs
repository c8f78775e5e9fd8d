namespace AvantiPS
{
    /// <summary>What Export-AvantiReport wrote: one per report.</summary>
    public sealed class ReportExport
    {
        internal ReportExport(string reportId, string path, AvantiPS.Reports.ReportFileFormat format, long rows, int columns, long bytes, double seconds)
        {
            ReportId = reportId;
            Path = path;
            Format = format;
            Rows = rows;
            Columns = columns;
            Bytes = bytes;
            Seconds = seconds;
        }

        /// <summary>The report that was run.</summary>
        public string ReportId { get; }

        /// <summary>The full path of the file written.</summary>
        public string Path { get; }

        /// <summary>The file's format.</summary>
        public AvantiPS.Reports.ReportFileFormat Format { get; }

        /// <summary>Rows written.</summary>
        public long Rows { get; }

        /// <summary>Columns of the report, each one a column (CSV) or property (JSON) of every row.</summary>
        public int Columns { get; }

        /// <summary>The file's size in bytes.</summary>
        public long Bytes { get; }

        /// <summary>How long the export took, from request to rename, in seconds.</summary>
        public double Seconds { get; }
    }
}
