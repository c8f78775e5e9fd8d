using System;
using System.Net;

namespace AvantiPS.Loading
{
    /// <summary>
    /// TLS versions for .NET Framework. Windows PowerShell 5.1 starts with SSL 3 and TLS 1.0 only, unless the host's
    /// registry says otherwise, and Avanti refuses both; TLS 1.2 (and 1.3 where the runtime knows it) is added.
    /// </summary>
    internal static class TlsProtocols
    {
        /// <summary>
        /// <paramref name="current"/> with TLS 1.2 and, where the runtime's enum has it, TLS 1.3 added; nothing is ever
        /// removed. SystemDefault (0) is returned as it is: it lets the operating system choose, and adding a version
        /// to it would replace that choice with a fixed list.
        /// </summary>
        public static SecurityProtocolType WithModernVersions(SecurityProtocolType current)
        {
            if (current == 0) return current;
            SecurityProtocolType result = current | SecurityProtocolType.Tls12;
            // netstandard2.0 has no Tls13 member; .NET Framework 4.8 has it at run time.
            if (Enum.TryParse("Tls13", out SecurityProtocolType tls13) && Enum.IsDefined(typeof(SecurityProtocolType), tls13)) result |= tls13;
            return result;
        }

        /// <summary>Applies <see cref="WithModernVersions"/> to the process (ServicePointManager is process-wide).</summary>
        public static void EnsureModernVersions()
        {
            SecurityProtocolType current = ServicePointManager.SecurityProtocol;
            SecurityProtocolType wanted = WithModernVersions(current);
            if (wanted != current) ServicePointManager.SecurityProtocol = wanted;
        }
    }
}
