using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Connections;
using AvantiPS.Http;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Sends the report request and downloads the whole answer into a <see cref="ReportSpool"/>, learning the column
    /// set as the bytes arrive (<see cref="ColumnScanner"/>). Nothing reaches the pipeline before the download is
    /// complete, so an answer that breaks off (a reset connection, a stall, or a body that ends cleanly before its
    /// JSON does) is asked for again, -MaximumRetryCount times.
    /// </summary>
    internal sealed class ReportDownload
    {
        const int ChunkSize = 128 * 1024;
        readonly AvantiConnection connection;
        readonly ReportQuery query;
        readonly RequestLog log;
        readonly Func<CancellationToken, Task<AvantiResponse>, AvantiResponse> wait;

        // wait: blocks on a send while relaying the log (the cmdlet's Run).
        public ReportDownload(AvantiConnection connection, ReportQuery query, RequestLog log, Func<CancellationToken, Task<AvantiResponse>, AvantiResponse> wait)
        {
            this.connection = connection;
            this.query = query;
            this.log = log;
            this.wait = wait;
        }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        public int MaximumRetryCount { get; set; } = 4;

        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Sends the request; the answer's body is then read by the caller.</summary>
        public AvantiResponse Send(CancellationToken cancellationToken)
        {
            AvantiRequest request = query.ToRequest();
            request.Timeout = Timeout;
            request.MaximumRetryCount = MaximumRetryCount;
            request.RetryInterval = RetryInterval;
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

        /// <summary>
        /// The whole answer, retried while it breaks off. Out of retries, the last attempt is returned with its
        /// <see cref="DownloadedReport.Failure"/> set: its complete rows can still be written before the error.
        /// </summary>
        public DownloadedReport Download(ProgressTicker ticker, Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            int attempt = 0;
            while (true)
            {
                var downloaded = new DownloadedReport();
                try
                {
                    AvantiResponseException failure = Receive(downloaded, ticker, progress, cancellationToken);
                    if (failure == null) return downloaded;
                    if (attempt >= MaximumRetryCount || cancellationToken.IsCancellationRequested)
                    {
                        downloaded.Failure = failure;
                        return downloaded;
                    }
                    downloaded.Dispose();
                    attempt++;
                    TimeSpan pause = AvantiHttpPipeline.Backoff(RetryInterval, attempt);
                    log.Verbose(failure.Message.TrimEnd('.') + ". Asking for the report again (retry " + attempt + " of " + MaximumRetryCount + ") in " + pause.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s.");
                    cancellationToken.WaitHandle.WaitOne(pause);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                catch
                {
                    downloaded.Dispose();
                    throw;
                }
            }
        }

        /// <summary>One attempt; the reason it broke off, or null when the answer is whole (or not JSON at all).</summary>
        AvantiResponseException Receive(DownloadedReport downloaded, ProgressTicker ticker, Action<ReportProgress> progress, CancellationToken cancellationToken)
        {
            ColumnScanner scanner = downloaded.Scanner;
            try
            {
                using (AvantiResponse response = Send(cancellationToken))
                using (Stream body = response.OpenBody(cancellationToken))
                {
                    downloaded.MediaType = response.MediaType;
                    byte[] chunk = new byte[ChunkSize];
                    int read;
                    while ((read = body.Read(chunk, 0, chunk.Length)) > 0)
                    {
                        downloaded.Spool.Write(chunk, 0, read);
                        scanner.Scan(chunk, read, final: false);
                        if (ticker.Due(downloaded.Spool.Length))
                        {
                            progress(new ReportProgress(true, downloaded.Spool.Length, scanner.Rows, -1));
                        }
                    }
                }
            }
            catch (AvantiResponseException ex)
            {
                scanner.Scan(new byte[0], 0, final: true);
                return ex;
            }
            bool truncated = scanner.Truncated;
            scanner.Scan(new byte[0], 0, final: true);
            return truncated
                ? new AvantiResponseException("The answer ended cleanly after " + downloaded.Spool.Length + " bytes, in the middle of the JSON (" + scanner.Rows + " complete rows).", null, ResponseFailure.Incomplete)
                : null;
        }
    }

    /// <summary>A downloaded report answer: the body, its column set and row count.</summary>
    internal sealed class DownloadedReport : IDisposable
    {
        public DownloadedReport()
        {
            Columns = new ReportColumns();
            Scanner = new ColumnScanner(Columns);
        }

        public ReportSpool Spool { get; } = new ReportSpool();

        public ReportColumns Columns { get; }

        public ColumnScanner Scanner { get; }

        public string MediaType { get; set; }

        /// <summary>Why the answer is incomplete even after the retries; null when it is whole.</summary>
        public AvantiResponseException Failure { get; set; }

        public void Dispose() => Spool.Dispose();
    }
}
