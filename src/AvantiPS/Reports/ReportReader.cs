using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using AvantiPS.Connections;
using AvantiPS.Http;
using AvantiPS.Json;

namespace AvantiPS.Reports
{
    /// <summary>Progress of a report download, for a progress bar.</summary>
    internal readonly struct ReportProgress
    {
        public ReportProgress(bool downloading, long bytes, long rows, long totalRows)
        {
            Downloading = downloading;
            Bytes = bytes;
            Rows = rows;
            TotalRows = totalRows;
        }

        public bool Downloading { get; }

        public long Bytes { get; }

        public long Rows { get; }

        /// <summary>The report's row count once the download is complete; -1 before.</summary>
        public long TotalRows { get; }
    }

    /// <summary>
    /// Runs one report and hands its rows, one at a time, to a sink made for its column set (objects for
    /// Get-AvantiReport, lines of a file for Export-AvantiReport).
    /// <para>
    /// Complete columns (the default): <see cref="ReportDownload"/> fetches the whole answer, retried while it breaks
    /// off, and learns the columns; the rows are then read from its spool. Fixed columns (-Property): rows are read
    /// straight from the network as they arrive. Either way <see cref="ReportRowSource"/> is the one read loop.
    /// </para>
    /// </summary>
    internal sealed class ReportReader
    {
        readonly ReportQuery query;
        readonly RequestLog log;
        readonly ReportDownload download;

        // wait: blocks on a send while relaying the log (the cmdlet's Run).
        public ReportReader(AvantiConnection connection, ReportQuery query, RequestLog log, Func<CancellationToken, System.Threading.Tasks.Task<AvantiResponse>, AvantiResponse> wait)
        {
            this.query = query;
            this.log = log;
            download = new ReportDownload(connection, query, log, wait);
        }

        public TimeSpan Timeout { get => download.Timeout; set => download.Timeout = value; }

        public int MaximumRetryCount { get => download.MaximumRetryCount; set => download.MaximumRetryCount = value; }

        public TimeSpan RetryInterval { get => download.RetryInterval; set => download.RetryInterval = value; }

        /// <summary>Rows written so far.</summary>
        public long RowsWritten { get; private set; }

        /// <summary>Bytes of the answer received.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>The column set the rows were read with.</summary>
        public ReportColumns Columns { get; private set; }

        /// <summary>
        /// Reads the report, yielding the sink after each row it took. <paramref name="fixedColumns"/> (or null for
        /// the report's own) gives the column set; <paramref name="progress"/> is called now and then on the calling
        /// thread; cancellation is checked between rows.
        /// </summary>
        public IEnumerable<TSink> Read<TSink>(IReadOnlyList<string> fixedColumns, Func<ReportColumns, TSink> createSink, Action<ReportProgress> progress, CancellationToken cancellationToken)
            where TSink : IReportRowSink
        {
            return fixedColumns != null
                ? ReadStreaming(new ReportColumns(fixedColumns), createSink, progress, cancellationToken)
                : ReadSpooled(createSink, progress, cancellationToken);
        }

        IEnumerable<TSink> ReadSpooled<TSink>(Func<ReportColumns, TSink> createSink, Action<ReportProgress> progress, CancellationToken cancellationToken)
            where TSink : IReportRowSink
        {
            using (DownloadedReport downloaded = download.Download(new ProgressTicker(ProgressTicker.ByteStep), progress, cancellationToken))
            {
                Columns = downloaded.Columns;
                BytesReceived = downloaded.Spool.Length;
                log.Verbose("Report " + query.ReportId + ": " + downloaded.Scanner.Rows + " rows, " + Columns.Count + " columns (" + string.Join(", ", Columns.Names) + "), "
                    + downloaded.Spool.Length + " bytes" + (downloaded.Spool.OnDisk ? ", spooled to an encrypted temporary file" : string.Empty) + ".");
                TSink sink = createSink(Columns);
                using (Stream body = downloaded.Spool.OpenRead())
                {
                    var source = new ReportRowSource(body, sink);
                    long total = downloaded.Scanner.Rows;
                    foreach (TSink row in Rows(source, sink, downloaded.MediaType, downloaded.Failure, cancellationToken, (ticker, rows) =>
                    {
                        if (ticker.Due(rows)) progress(new ReportProgress(false, downloaded.Spool.Length, rows, total));
                    }))
                    {
                        yield return row;
                    }
                }
            }
        }

        IEnumerable<TSink> ReadStreaming<TSink>(ReportColumns columns, Func<ReportColumns, TSink> createSink, Action<ReportProgress> progress, CancellationToken cancellationToken)
            where TSink : IReportRowSink
        {
            Columns = columns;
            using (AvantiResponse response = download.Send(cancellationToken))
            using (Stream body = response.OpenBody(cancellationToken))
            {
                TSink sink = createSink(columns);
                var source = new ReportRowSource(body, sink);
                foreach (TSink row in Rows(source, sink, response.MediaType, null, cancellationToken, (ticker, rows) =>
                {
                    BytesReceived = source.BytesRead;
                    if (ticker.Due(rows)) progress(new ReportProgress(true, source.BytesRead, rows, -1));
                }))
                {
                    yield return row;
                }
                BytesReceived = source.BytesRead;
            }
        }

        /// <summary>The read loop: each row, progress, cancellation, and errors in the report's terms.</summary>
        IEnumerable<TSink> Rows<TSink>(ReportRowSource source, TSink sink, string mediaType, AvantiResponseException failure, CancellationToken cancellationToken, Action<ProgressTicker, long> tick)
        {
            var ticker = new ProgressTicker(ProgressTicker.RowStep);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (!source.MoveNext()) break;
                }
                catch (JsonIncompleteException ex)
                {
                    throw Incomplete((failure ?? (Exception)ex).Message, failure ?? (Exception)ex);
                }
                catch (JsonInvalidException ex)
                {
                    throw Unreadable(ex.Message.TrimEnd('.') + ContentTypeNote(mediaType), ex);
                }
                catch (AvantiResponseException ex)
                {
                    // Only while streaming (-Property): the connection broke with rows already written.
                    throw Incomplete(ex.Message, ex);
                }
                RowsWritten++;
                tick(ticker, RowsWritten);
                yield return sink;
            }
            if (source.WasEmpty)
            {
                throw Incomplete("Avanti answered with an empty body instead of a JSON array of rows.", null);
            }
            if (failure != null)
            {
                throw Incomplete(failure.Message, failure);
            }
        }

        AvantiResponseException Incomplete(string reason, Exception inner) =>
            new AvantiResponseException("Report '" + query.ReportId + "' is incomplete: " + reason.TrimEnd('.') + ". " + RowsWritten + " rows were written before this error; do not use them as the whole report.", inner, ResponseFailure.Incomplete);

        /// <summary>Malformed JSON: after some rows the report is incomplete; before any, it could not be read at all.</summary>
        AvantiResponseException Unreadable(string reason, Exception inner) =>
            RowsWritten > 0
                ? Incomplete(reason, inner)
                : new AvantiResponseException("Report '" + query.ReportId + "' could not be read: " + reason.TrimEnd('.') + ". Nothing was written.", inner, ResponseFailure.InvalidJson);

        static string ContentTypeNote(string mediaType) => mediaType == null ? "." : " (the answer's content type was " + mediaType + ").";
    }
}
