using System;

namespace AvantiPS.Commands
{
    /// <summary>What a cmdlet would have asked for, had the host been able to ask.</summary>
    public enum PromptKind
    {
        /// <summary>A confirmation (ShouldProcess, ShouldContinue): error ID AvantiConfirmationRequired.</summary>
        Confirmation,

        /// <summary>A credential (a $null or user-name-only -Credential): error ID AvantiCredentialRequired.</summary>
        Credential,
    }

    /// <summary>
    /// The cmdlet needed an answer and the host cannot ask (no console, standard input redirected or closed,
    /// -NonInteractive): the message says what to pass so no question is needed.
    /// </summary>
    public sealed class HostCannotAskException : InvalidOperationException
    {
        const string Why = "this PowerShell host cannot ask (no console, standard input redirected or closed, or -NonInteractive, as in a scheduled task, cron job or runbook)";

        HostCannotAskException(PromptKind kind, string message, string advice) : base(message + " " + advice)
        {
            Kind = kind;
            Advice = advice;
        }

        /// <summary>What would have been asked.</summary>
        public PromptKind Kind { get; }

        /// <summary>What to pass instead.</summary>
        public string Advice { get; }

        internal static HostCannotAskException Confirmation(string what, string remedy) => new HostCannotAskException(
            PromptKind.Confirmation, what + " needs confirmation, and " + Why + ".", "Add " + remedy + " to go ahead without asking.");

        internal static HostCannotAskException Credential(string parameter, string holds) => new HostCannotAskException(
            PromptKind.Credential, parameter + " has no usable value and " + Why + " for it.",
            "Pass a PSCredential (" + holds + "), for example from Get-Secret or Import-Clixml, or connect from a saved profile: Connect-Avanti -Vault <vault> [-ProfileName <name>].");
    }
}
