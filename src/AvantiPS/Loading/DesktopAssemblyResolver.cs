using System;
using System.IO;
using System.Reflection;

namespace AvantiPS.Loading
{
    /// <summary>
    /// The AppDomain.AssemblyResolve handler Windows PowerShell needs in place of binding redirects: it answers only
    /// for the assemblies the module ships (see <see cref="ShippedAssemblies"/>) and is removed when the module is.
    /// Registrations are counted, because each runspace that imports the module registers and each removal
    /// unregisters: the handler stays while any runspace still has the module.
    /// </summary>
    internal sealed class DesktopAssemblyResolver
    {
        readonly object gate = new object();
        readonly ShippedAssemblies shipped;
        readonly AppDomain domain;
        int registrations;

        public DesktopAssemblyResolver(ShippedAssemblies shipped, AppDomain domain)
        {
            this.shipped = shipped;
            this.domain = domain;
        }

        /// <summary>The module's folder and its dependencies folder (IdentityModel, AvantiPS.OAuth).</summary>
        public static ShippedAssemblies ModuleAssemblies(string moduleFolder) =>
            ShippedAssemblies.FromFolders(moduleFolder, Path.Combine(moduleFolder, ModuleLayout.DependenciesFolder));

        /// <summary>Adds the handler on the first registration.</summary>
        public void Register()
        {
            lock (gate)
            {
                if (registrations++ == 0) domain.AssemblyResolve += OnAssemblyResolve;
            }
        }

        /// <summary>
        /// Removes the handler when the last registration goes; assemblies already loaded stay loaded (.NET Framework
        /// cannot unload them).
        /// </summary>
        public void Unregister()
        {
            lock (gate)
            {
                if (registrations == 0) return;
                if (--registrations == 0) domain.AssemblyResolve -= OnAssemblyResolve;
            }
        }

        Assembly OnAssemblyResolve(object sender, ResolveEventArgs args) => Resolve(args.Name);

        /// <summary>
        /// The assembly to hand over for a failed bind of <paramref name="requestedName"/>, or null to leave it to others.
        /// An assembly of the shipped identity that is already loaded (AvantiPS itself, or the same System.Buffers
        /// loaded by another module) is handed back rather than loading the file a second time, which would make two
        /// copies of its types.
        /// </summary>
        internal Assembly Resolve(string requestedName)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedName);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FileLoadException)
            {
                return null;
            }
            string path = shipped.Resolve(requested);
            if (path == null) return null;
            string identity = shipped.Shipped(requested.Name).FullName;
            foreach (Assembly loaded in domain.GetAssemblies())
            {
                if (string.Equals(loaded.FullName, identity, StringComparison.OrdinalIgnoreCase)) return loaded;
            }
            return Assembly.LoadFrom(path);
        }
    }
}
