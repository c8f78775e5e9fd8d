using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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
    /// Fetches one report and hands out its rows with the complete column set.
    /// <para>
    /// Complete columns (the default): the body is read as fast as the network gives it into a <see cref="ReportSpool"/>
    /// while a <see cref="ColumnScanner"/> learns the columns; rows are then built from the spool one at a time. Memory
    /// holds one row and the column names, whatever the report's size; the first row comes once the body is in, which
    /// for Avanti is a small part of the total (building objects, not bytes, is the cost). A connection that breaks
    /// during the download is retried like any safe request, since no row has been written yet.
    /// </para>
    /// <para>
    /// Fixed columns (-Property): rows are built straight from the network stream as they arrive.
    /// </para>
    /// </summary>
    internal sealed class ReportReader
    {
        const int ChunkSize = 128 * 1024;
        readonly AvantiConnection connection;
        readonly ReportQuery query;
        readonly RequestLog log;
        readonly Func<CancellationToken, System.Threading.Tasks.Task<AvantiResponse>, AvantiResponse> wait;

        // wait: blocks on a send while relaying the log (the cmdlet's Run).
        public ReportReader(AvantiConnection connection, ReportQuery query, RequestLog log, Func<CancellationToken, System.Threading.Tasks.Task<AvantiResponse>, AvantiResponse> wait)
        {
            this.connection = connection;
            this.query = query;
            this.log = log;
            this.wait = wait;
        }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        public int MaximumRetryCount { get; set; } = 4;

        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Rows written so far.</summary>
        public long RowsWritten { get; private set; }

        /// <summary>Streams the rows, calling <paramref name="progress"/> now and then on the calling thread.</summary>
        public IEnumerable<object> Read(IReadOnlyList<string> fixedColumns, Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            return fixedColumns != null
                ? ReadStreaming(new ReportColumns(fixedColumns), progress, cancellationToken)
                : ReadSpooled(progress, cancellationToken);
        }

        AvantiRequest NewRequest()
        {
            AvantiRequest request = query.ToRequest();
            request.Timeout = Timeout;
            request.MaximumRetryCount = MaximumRetryCount;
            request.RetryInterval = RetryInterval;
            return request;
        }

        AvantiResponse Send(CancellationToken cancellationToken)
        {
            AvantiRequest request = NewRequest();
            try
            {
                return wait(cancellationToken, connection.Pipeline.SendAsync(request, log, cancellationToken));
            }
            catch (AvantiApiException ex) when (ex.StatusCode == 400 && IsReportIdRejection(ex))
            {
                throw ex.WithAdvice("Avanti could not print report '" + query.ReportId + "': the report must exist in Report Designer, be web-enabled, and the API user must have Print access to it. Check the report ID with your Avanti administrator.");
            }
        }

        static bool IsReportIdRejection(AvantiApiException ex) =>
            ex.Errors.Values.SelectMany(codes => codes).Any(code => code.IndexOf("Report ID", StringComparison.OrdinalIgnoreCase) >= 0);

        IEnumerable<object> ReadSpooled(Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            using (Spooled spooled = Download(progress, cancellationToken))
            {
                var builder = new ReportRowBuilder(spooled.Columns, query.ReportId);
                log.Verbose("Report " + query.ReportId + ": " + spooled.Scanner.Rows + " rows, " + spooled.Columns.Count + " columns (" + string.Join(", ", spooled.Columns.Names) + "), "
                    + spooled.Spool.Length + " bytes" + (spooled.Spool.OnDisk ? ", spooled to an encrypted temporary file" : string.Empty) + ".");
                using (Stream body = spooled.Spool.OpenRead())
                {
                    var rows = new JsonStreamReader<object>(body, builder.Build);
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    while (true)
                    {
                        object row;
                        try
                        {
                            if (!rows.TryRead(out row)) break;
                        }
                        catch (JsonIncompleteException) when (spooled.Failure != null)
                        {
                            throw Incomplete(spooled.Failure.Message, spooled.Failure);
                        }
                        catch (JsonIncompleteException ex)
                        {
                            throw Incomplete(ex.Message, ex);
                        }
                        catch (JsonInvalidException ex)
                        {
                            throw Unreadable(ex.Message.TrimEnd('.') + ContentTypeNote(spooled.MediaType), ex);
                        }
                        RowsWritten++;
                        if (clock.ElapsedMilliseconds >= 250)
                        {
                            clock.Restart();
                            progress(new ReportProgress(false, spooled.Spool.Length, RowsWritten, spooled.Scanner.Rows));
                        }
                        yield return row;
                    }
                    if (rows.WasEmpty)
                    {
                        throw Incomplete("Avanti answered with an empty body instead of a JSON array of rows.", null);
                    }
                    if (!rows.IsArray)
                    {
                        throw Unreadable("the answer is not a JSON array of rows" + ContentTypeNote(spooled.MediaType), null);
                    }
                    if (spooled.Failure != null)
                    {
                        throw Incomplete(spooled.Failure.Message, spooled.Failure);
                    }
                }
            }
        }

        IEnumerable<object> ReadStreaming(ReportColumns columns, Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            using (AvantiResponse response = Send(cancellationToken))
            using (Stream body = response.OpenBody(cancellationToken))
            {
                var builder = new ReportRowBuilder(columns, query.ReportId);
                var rows = new JsonStreamReader<object>(body, builder.Build);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (true)
                {
                    object row;
                    try
                    {
                        if (!rows.TryRead(out row)) break;
                    }
                    catch (JsonInvalidException ex)
                    {
                        throw Unreadable(ex.Message.TrimEnd('.') + ContentTypeNote(response.MediaType), ex);
                    }
                    catch (Exception ex) when (ex is JsonIncompleteException || ex is AvantiResponseException)
                    {
                        throw Incomplete(ex.Message, ex);
                    }
                    RowsWritten++;
                    if (clock.ElapsedMilliseconds >= 250)
                    {
                        clock.Restart();
                        progress(new ReportProgress(true, rows.BytesRead, RowsWritten, -1));
                    }
                    yield return row;
                }
                if (rows.WasEmpty)
                {
                    throw Incomplete("Avanti answered with an empty body instead of a JSON array of rows.", null);
                }
            }
        }

        Spooled Download(Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            int attempt = 0;
            while (true)
            {
                var spooled = new Spooled();
                try
                {
                    using (AvantiResponse response = Send(cancellationToken))
                    {
                        spooled.MediaType = response.MediaType;
                        using (Stream body = response.OpenBody(cancellationToken))
                        {
                            byte[] chunk = new byte[ChunkSize];
                            var clock = System.Diagnostics.Stopwatch.StartNew();
                            int read;
                            while ((read = body.Read(chunk, 0, chunk.Length)) > 0)
                            {
                                spooled.Spool.Write(chunk, 0, read);
                                spooled.Scanner.Scan(chunk, read, final: false);
                                if (clock.ElapsedMilliseconds >= 250)
                                {
                                    clock.Restart();
                                    progress(new ReportProgress(true, spooled.Spool.Length, spooled.Scanner.Rows, -1));
                                }
                            }
                            spooled.Scanner.Scan(chunk, 0, final: true);
                        }
                    }
                    return spooled;
                }
                catch (AvantiResponseException ex) when (attempt < MaximumRetryCount && !cancellationToken.IsCancellationRequested)
                {
                    // Nothing has reached the pipeline yet, so the whole report can be asked for again.
                    spooled.Dispose();
                    attempt++;
                    TimeSpan wait = AvantiHttpPipeline.Backoff(RetryInterval, attempt);
                    log.Verbose(ex.Message + " Asking for the report again (retry " + attempt + " of " + MaximumRetryCount + ") in " + wait.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s.");
                    cancellationToken.WaitHandle.WaitOne(wait);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                catch (AvantiResponseException ex)
                {
                    // Out of retries: write the rows that did arrive complete, then fail.
                    spooled.Failure = ex;
                    spooled.Scanner.Scan(new byte[0], 0, final: true);
                    return spooled;
                }
                catch
                {
                    spooled.Dispose();
                    throw;
                }
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

        sealed class Spooled : IDisposable
        {
            public Spooled()
            {
                Columns = new ReportColumns();
                Scanner = new ColumnScanner(Columns);
            }

            public ReportSpool Spool { get; } = new ReportSpool();

            public ReportColumns Columns { get; }

            public ColumnScanner Scanner { get; }

            public string MediaType { get; set; }

            public AvantiResponseException Failure { get; set; }

            public void Dispose() => Spool.Dispose();
        }
    }
}
