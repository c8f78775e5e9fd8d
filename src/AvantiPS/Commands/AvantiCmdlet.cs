using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Connections;
using AvantiPS.Http;

namespace AvantiPS.Commands
{
    /// <summary>
    /// What every AvantiPS cmdlet shares: Ctrl+C cancels the HTTP work at once, core log messages become verbose,
    /// debug and warning output on the pipeline thread, and core exceptions become ErrorRecords.
    /// </summary>
    public abstract class AvantiCmdlet : PSCmdlet
    {
        readonly CancellationTokenSource stopping = new CancellationTokenSource();

        internal RequestLog Log { get; } = new RequestLog();

        internal CancellationToken Cancellation => stopping.Token;

        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Runs async core work from the pipeline thread, relaying its log as it goes.</summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            Task<T> task = work(stopping.Token);
            WaitRelaying(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        internal void WaitRelaying(Task task)
        {
            IAsyncResult pending = task;
            while (!pending.AsyncWaitHandle.WaitOne(100))
            {
                RelayLog();
            }
            RelayLog();
        }

        /// <summary>Writes queued core messages to the verbose, debug and warning streams.</summary>
        internal void RelayLog()
        {
            while (Log.TryDequeue(out LogEntry entry))
            {
                switch (entry.Level)
                {
                    case LogLevel.Verbose:
                        WriteVerbose(entry.Message);
                        break;
                    case LogLevel.Debug:
                        WriteDebug(entry.Message);
                        break;
                    case LogLevel.Warning:
                        WriteWarning(entry.Message);
                        break;
                }
            }
        }

        /// <summary>Throws the exception as a terminating error in PowerShell's terms.</summary>
        internal void Fail(Exception exception, object target)
        {
            RelayLog();
            if (exception is OperationCanceledException && stopping.IsCancellationRequested) throw new PipelineStoppedException();
            ThrowTerminatingError(ErrorRecords.From(exception, target));
        }

        /// <summary>Writes the exception as a non-terminating error, so pipeline input after it still runs.</summary>
        internal void Report(Exception exception, object target)
        {
            RelayLog();
            if (exception is OperationCanceledException && stopping.IsCancellationRequested) throw new PipelineStoppedException();
            WriteError(ErrorRecords.From(exception, target));
        }

        /// <summary>
        /// Asks the user (ShouldProcess, ShouldContinue). A host that cannot ask (pwsh -NonInteractive, a scheduled
        /// task, a runbook) throws while prompting; that becomes the given error, which says what to pass instead.
        /// </summary>
        internal bool Ask(Func<bool> ask, Func<Exception> cannotAsk, object target)
        {
            try
            {
                return ask();
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is PSNotImplementedException)
            {
                Fail(cannotAsk(), target);
                return false;
            }
        }

        /// <summary>The connection given, or else this runspace's default; a clear error when there is none.</summary>
        internal AvantiConnection ResolveConnection(AvantiConnection given)
        {
            AvantiConnection connection = given ?? ConnectionRegistry.Default;
            if (connection == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No Avanti connection: this runspace has not connected. Run Connect-Avanti first, or pass -Connection (in ForEach-Object -Parallel or a job: -Connection $using:connection)."),
                    "AvantiNotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }
            if (!connection.IsOpen)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("The connection '" + connection.Name + "' was closed with Disconnect-Avanti. Run Connect-Avanti again."),
                    "AvantiConnectionClosed",
                    ErrorCategory.ConnectionError,
                    connection));
            }
            return connection;
        }

        protected override void EndProcessing()
        {
            RelayLog();
            base.EndProcessing();
        }
    }

    /// <summary>A cmdlet that talks to Avanti through a connection (-Connection, else the runspace's default).</summary>
    public abstract class AvantiConnectedCmdlet : AvantiCmdlet
    {
        /// <summary>The connection to use; the runspace's default connection when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public AvantiConnection Connection { get; set; }
    }

    /// <summary>
    /// A cmdlet that sends API requests: the connection is resolved once for all pipeline input, and retries are
    /// set with Invoke-RestMethod's parameter names. -TimeoutSec stays with each cmdlet, since a report may
    /// rightly take longer than one call.
    /// </summary>
    public abstract class AvantiRequestCmdlet : AvantiConnectedCmdlet
    {
        /// <summary>How often to retry when Avanti is busy or the connection breaks (only requests that are safe to repeat).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaximumRetryCount { get; set; } = 4;

        /// <summary>The first wait between retries, in seconds; it doubles each time.</summary>
        [Parameter]
        [ValidateRange(0, 600)]
        public int RetryIntervalSec { get; set; } = 1;

        internal AvantiConnection ActiveConnection { get; private set; }

        internal TimeSpan RetryInterval => TimeSpan.FromSeconds(RetryIntervalSec);

        protected override void BeginProcessing()
        {
            ActiveConnection = ResolveConnection(Connection);
        }
    }
}
