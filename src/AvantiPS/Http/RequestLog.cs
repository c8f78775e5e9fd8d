using System.Collections.Concurrent;

namespace AvantiPS.Http
{
    /// <summary>
    /// Where the core reports what it does. Messages are queued because HTTP work finishes on pool threads,
    /// while PowerShell accepts verbose and debug output only on the pipeline thread; the cmdlet drains the queue.
    /// Callers must never put a secret in a message: use <see cref="Mask"/> for anything secret-bearing.
    /// </summary>
    internal sealed class RequestLog
    {
        readonly ConcurrentQueue<LogEntry> entries = new ConcurrentQueue<LogEntry>();

        public static readonly RequestLog None = new RequestLog(enabled: false);

        readonly bool enabled;

        public RequestLog(bool enabled = true)
        {
            this.enabled = enabled;
        }

        public void Verbose(string message)
        {
            if (enabled) entries.Enqueue(new LogEntry(LogLevel.Verbose, message));
        }

        public void Debug(string message)
        {
            if (enabled) entries.Enqueue(new LogEntry(LogLevel.Debug, message));
        }

        public void Warning(string message)
        {
            if (enabled) entries.Enqueue(new LogEntry(LogLevel.Warning, message));
        }

        public bool TryDequeue(out LogEntry entry) => entries.TryDequeue(out entry);

        /// <summary>What stands in the log for a secret value.</summary>
        public const string Mask = "***";
    }

    internal enum LogLevel
    {
        Verbose,
        Debug,
        Warning,
    }

    internal readonly struct LogEntry
    {
        public LogEntry(LogLevel level, string message)
        {
            Level = level;
            Message = message;
        }

        public LogLevel Level { get; }

        public string Message { get; }
    }
}
