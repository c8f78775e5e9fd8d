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

        /// <summary>A failure that has a plainer cause than its own message (a connection closed under the call, say).</summary>
        internal virtual Exception Explain(Exception exception) => exception;

        /// <summary>Throws the exception as a terminating error in PowerShell's terms.</summary>
        internal void Fail(Exception exception, object target)
        {
            RelayLog();
            if (exception is OperationCanceledException && stopping.IsCancellationRequested) throw new PipelineStoppedException();
            ThrowTerminatingError(ErrorRecords.From(Explain(exception), target));
        }

        /// <summary>Writes the exception as a non-terminating error, so pipeline input after it still runs.</summary>
        internal void Report(Exception exception, object target)
        {
            RelayLog();
            if (exception is OperationCanceledException && stopping.IsCancellationRequested) throw new PipelineStoppedException();
            WriteError(ErrorRecords.From(Explain(exception), target));
        }

        /// <summary>
        /// ShouldProcess, except that a host where no one can answer (see <see cref="HostInteraction"/>) is never
        /// prompted: where ShouldProcess would ask, the given error is written instead (terminating, or
        /// non-terminating so -ErrorAction applies and pipeline input after it still runs).
        /// </summary>
        internal bool AskToProcess(string target, string action, ConfirmImpact impact, Func<Exception> cannotAsk, object errorTarget, bool terminating = true)
        {
            if (WouldPrompt(impact) && !HostInteraction.CanAsk(Host)) return CannotAsk(cannotAsk, errorTarget, terminating);
            return Ask(() => ShouldProcess(target, action), cannotAsk, errorTarget, terminating);
        }

        /// <summary>ShouldContinue, which always asks; in a host where no one can answer, the given error instead.</summary>
        internal bool AskToContinue(string query, string caption, Func<Exception> cannotAsk, object errorTarget, bool terminating = true)
        {
            if (!HostInteraction.CanAsk(Host)) return CannotAsk(cannotAsk, errorTarget, terminating);
            return Ask(() => ShouldContinue(query, caption), cannotAsk, errorTarget, terminating);
        }

        /// <summary>Whether ShouldProcess would prompt: -Confirm, or an impact at or above $ConfirmPreference; never under -WhatIf.</summary>
        internal bool WouldPrompt(ConfirmImpact impact)
        {
            if (Switch("WhatIf") ?? IsSet(SessionState.PSVariable.GetValue("WhatIfPreference"))) return false;
            bool? confirm = Switch("Confirm");
            if (confirm.HasValue) return confirm.Value;
            object preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            if (preference == null || !Enum.TryParse(preference.ToString(), true, out ConfirmImpact threshold)) threshold = ConfirmImpact.High;
            return threshold != ConfirmImpact.None && impact >= threshold;
        }

        bool? Switch(string name) =>
            MyInvocation.BoundParameters.TryGetValue(name, out object value) ? IsSet(value) : (bool?)null;

        static bool IsSet(object value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value is SwitchParameter s ? s.IsPresent : value is bool b && b;
        }

        /// <summary>A host that fails while prompting (a runspace with no UI, say) gives the same error.</summary>
        bool Ask(Func<bool> ask, Func<Exception> cannotAsk, object target, bool terminating)
        {
            try
            {
                return ask();
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is PSNotImplementedException)
            {
                return CannotAsk(cannotAsk, target, terminating);
            }
        }

        bool CannotAsk(Func<Exception> cannotAsk, object target, bool terminating)
        {
            if (terminating) Fail(cannotAsk(), target);
            else Report(cannotAsk(), target);
            return false;
        }

        /// <summary>The connection given, or else this runspace's default; a clear error when there is none or it is closed.</summary>
        internal AvantiConnection ResolveConnection(AvantiConnection given)
        {
            AvantiConnection connection = given ?? ConnectionRegistry.Default;
            if (connection == null) ThrowTerminatingError(ErrorRecords.NotConnected());
            try
            {
                connection.EnsureOpen();
            }
            catch (AvantiConnectionClosedException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, connection));
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
        [ConnectionArgument]
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

        /// <summary>
        /// Disconnect-Avanti in another runspace that shares the connection disposes its HTTP client and token lock;
        /// whatever a call then fails with (ObjectDisposedException, a cancelled request), the cause is the close.
        /// </summary>
        internal override Exception Explain(Exception exception)
        {
            AvantiConnection connection = ActiveConnection;
            if (connection == null || connection.IsOpen || exception is AvantiConnectionClosedException) return exception;
            return AvantiConnectionClosedException.Closed(connection.Name, exception);
        }
    }
}
