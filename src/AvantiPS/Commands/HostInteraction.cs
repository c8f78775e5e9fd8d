using System;
using System.Management.Automation.Host;

namespace AvantiPS.Commands
{
    /// <summary>
    /// The one answer to "can this host ask the user something?". A scheduled task, a cron job or a runbook runs
    /// PowerShell with standard input redirected or closed, often without -NonInteractive; a prompt there either
    /// reads end of input (and misreports) or waits for ever (and the job hangs). So the module asks only when a
    /// person can answer, and otherwise fails with an error that says what to pass instead.
    /// </summary>
    internal static class HostInteraction
    {
        static readonly Lazy<bool> NonInteractiveSwitch = new Lazy<bool>(() => HasNonInteractiveSwitch(Environment.GetCommandLineArgs()));

        /// <summary>False when no one can answer a prompt in this host.</summary>
        public static bool CanAsk(PSHost host)
        {
            if (host?.UI == null) return false;
            if (!Environment.UserInteractive) return false;
            if (NonInteractiveSwitch.Value) return false;
            // The console host reads answers from standard input; redirected or closed, it has no one to ask.
            // Other hosts (an editor, a GUI) have their own way to ask, whatever their standard input is.
            if (string.Equals(host.Name, "ConsoleHost", StringComparison.OrdinalIgnoreCase) && IsInputRedirected()) return false;
            return true;
        }

        /// <summary>
        /// Whether pwsh or powershell.exe was started with -NonInteractive (or an abbreviation such as -noni),
        /// before the -File or -Command that ends the host's own switches.
        /// </summary>
        internal static bool HasNonInteractiveSwitch(string[] args)
        {
            if (args == null) return false;
            for (int i = 1; i < args.Length; i++)
            {
                string arg = args[i];
                if (string.IsNullOrEmpty(arg)) continue;
                string name = arg.TrimStart('-', '/');
                if (name.Length == arg.Length) continue;
                name = name.ToLowerInvariant();
                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.Ordinal)) return true;
                if (name == "f" || name == "file" || name == "c" || name == "command" || name == "encodedcommand" || name == "e" || name == "ec") return false;
            }
            return false;
        }

        static bool IsInputRedirected()
        {
            try
            {
                return Console.IsInputRedirected;
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is InvalidOperationException)
            {
                return true;
            }
        }
    }
}
