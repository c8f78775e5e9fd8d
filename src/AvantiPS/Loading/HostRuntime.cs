using System;
using System.Runtime.InteropServices;

namespace AvantiPS.Loading
{
    /// <summary>Which runtime hosts the module, and whether AvantiPS supports it.</summary>
    internal static class HostRuntime
    {
        /// <summary>
        /// The oldest .NET that AvantiPS supports under PowerShell 7: .NET 8, which PowerShell 7.4 (the oldest release
        /// still in support) runs on. PowerShell 7.0 to 7.3 run on .NET Core 3.1 to .NET 7, which are out of support
        /// and carry older built-in System.Text.Json versions the module is not tested with.
        /// </summary>
        public static readonly Version MinimumCoreRuntime = new Version(8, 0);

        /// <summary>The PowerShell release that matches <see cref="MinimumCoreRuntime"/>, for messages.</summary>
        public const string MinimumPowerShell = "7.4";

        /// <summary>True on .NET Framework, that is in Windows PowerShell 5.1.</summary>
        public static bool IsNetFramework { get; } = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>
        /// Why the module cannot run on this host, or null when it can. Windows PowerShell is checked by the manifest
        /// (PowerShellVersion 5.1, DotNetFrameworkVersion 4.7.2); PowerShell 7 by the .NET version it runs on.
        /// </summary>
        public static string Unsupported(bool netFramework, Version runtime, Version powerShell)
        {
            if (netFramework || runtime >= MinimumCoreRuntime) return null;
            return "AvantiPS needs PowerShell " + MinimumPowerShell + " or later (on .NET " + MinimumCoreRuntime.Major + " or later), or Windows PowerShell 5.1. "
                + "This is PowerShell " + powerShell.ToString(2) + " on .NET " + runtime.ToString(2) + ", which is out of support. "
                + "Install a current PowerShell 7 (https://aka.ms/powershell) and import AvantiPS there.";
        }
    }
}
