using System;
using System.Management.Automation;

namespace AvantiPS.Loading
{
    /// <summary>
    /// Runs when PowerShell imports and removes the module. On PowerShell 7 it refuses releases older than 7.4. On
    /// Windows PowerShell 5.1 (.NET Framework) it registers the resolver that stands in for binding redirects and
    /// turns on TLS 1.2; removing the module from the last runspace that imported it removes the resolver again.
    /// </summary>
    public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        static readonly Lazy<DesktopAssemblyResolver> Resolver = new Lazy<DesktopAssemblyResolver>(
            () => new DesktopAssemblyResolver(DesktopAssemblyResolver.ModuleAssemblies(ModuleLayout.ModuleFolder), AppDomain.CurrentDomain));

        /// <summary>Called by PowerShell on Import-Module.</summary>
        public void OnImport()
        {
            string unsupported = HostRuntime.Unsupported(HostRuntime.IsNetFramework, Environment.Version, typeof(PSObject).Assembly.GetName().Version);
            if (unsupported != null) throw new PlatformNotSupportedException(unsupported);
            if (!HostRuntime.IsNetFramework) return;
            Resolver.Value.Register();
            TlsProtocols.EnsureModernVersions();
        }

        /// <summary>Called by PowerShell on Remove-Module.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (HostRuntime.IsNetFramework) Resolver.Value.Unregister();
        }
    }
}
