using System.Runtime.CompilerServices;

namespace AvantiPS.Loading
{
    /// <summary>
    /// How the per-row code of a report asks the JIT for optimised code from its first call.
    /// <para>
    /// A nightly job runs a report once, in a fresh process. .NET's tiered compilation first compiles a method
    /// quickly and without optimisation (instrumented, on .NET 8 and later), and replaces it only after it has run a
    /// while; a loop is moved over mid-run (on-stack replacement). Over 100,000 rows that warm-up took about half of
    /// the time, measured on PowerShell 7.6. The methods that touch every byte or every row are therefore compiled
    /// optimised at once. They give up the runtime's profile-guided second compilation, which pays off only in
    /// long-lived processes.
    /// </para>
    /// <para>
    /// MethodImplOptions.AggressiveOptimization (512) is not in netstandard2.0, so it is written as its value.
    /// .NET Framework (Windows PowerShell 5.1), which has no tiered compilation, ignores the flag.
    /// </para>
    /// </summary>
    internal static class HotPath
    {
        /// <summary>MethodImplOptions.AggressiveOptimization.</summary>
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
