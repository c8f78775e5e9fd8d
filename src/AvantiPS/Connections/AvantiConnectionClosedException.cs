using System;

namespace AvantiPS.Connections
{
    /// <summary>
    /// The connection cannot be used: it was closed with Disconnect-Avanti (in any runspace that shares it), or it is
    /// a serialized copy (Start-Job, Invoke-Command) that carries neither token nor secrets.
    /// </summary>
    public sealed class AvantiConnectionClosedException : InvalidOperationException
    {
        internal AvantiConnectionClosedException(string message, string advice, bool isCopy, Exception inner = null)
            : base(message + " " + advice, inner)
        {
            Advice = advice;
            IsCopy = isCopy;
        }

        /// <summary>What to do instead.</summary>
        public string Advice { get; }

        /// <summary>True for a serialized copy of a connection (error ID AvantiConnectionCopy), false for a closed one (AvantiConnectionClosed).</summary>
        public bool IsCopy { get; }

        internal static AvantiConnectionClosedException Closed(string name, Exception inner = null) => new AvantiConnectionClosedException(
            "The connection '" + name + "' was closed with Disconnect-Avanti (a connection shared with other runspaces or jobs is closed for all of them).",
            "Run Connect-Avanti again, and pass the new connection on.", false, inner);

        internal static AvantiConnectionClosedException Copy(string name, string reopenFailure = null) => new AvantiConnectionClosedException(
            "The connection '" + name + "' arrived here as a serialized copy (Start-Job, Invoke-Command and remoting copy objects), which carries neither its token nor its secrets"
            + (string.IsNullOrEmpty(reopenFailure) ? "." : ", and it could not be opened again from its profile: " + reopenFailure),
            "Use Start-ThreadJob or ForEach-Object -Parallel with -Connection $using:connection (same process), or connect inside the job from a profile: Connect-Avanti -Vault <vault> [-ProfileName <name>]. "
            + "A connection opened from a profile is re-opened from that profile when its copy is passed to -Connection.", true);
    }
}
