using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using AvantiPS.Loading;

namespace AvantiPS.Auth
{
    /// <summary>
    /// Loads AvantiPS.OAuth and IdentityModel from the module's dependencies folder. On PowerShell 7 they go into an
    /// AssemblyLoadContext of their own, so a different IdentityModel version loaded by another module in the same
    /// session neither breaks AvantiPS nor is broken by it; framework assemblies and AvantiPS itself are shared with
    /// the default context, so the types that cross over are the same types. Windows PowerShell has no load contexts:
    /// there AvantiPS.OAuth is loaded from its path, and its references are found next to it or by the module's own
    /// resolver (<see cref="DesktopAssemblyResolver"/>, registered at import), which answers only for shipped names.
    /// </summary>
    internal static class OAuthLoader
    {
        const string AssemblyFile = "AvantiPS.OAuth.dll";
        const string GrantType = "AvantiPS.OAuth.IdentityModelPasswordGrant";
        static readonly Lazy<IPasswordGrant> Grant = new Lazy<IPasswordGrant>(Load);

        public static IPasswordGrant PasswordGrant => Grant.Value;

        static IPasswordGrant Load()
        {
            string moduleFolder = ModuleLayout.ModuleFolder;
            string folder = Path.Combine(moduleFolder, ModuleLayout.DependenciesFolder);
            if (!File.Exists(Path.Combine(folder, AssemblyFile)))
            {
                // Running from a build output (tests): everything sits in one folder.
                folder = moduleFolder;
            }

            Assembly oauth = HostRuntime.IsNetFramework
                ? Assembly.LoadFrom(Path.Combine(folder, AssemblyFile))
                : IsolatedContext.LoadFrom(folder);
            Type type = oauth.GetType(GrantType, throwOnError: true);
            return (IPasswordGrant)Activator.CreateInstance(type, nonPublic: true);
        }

        /// <summary>Kept in its own type so Windows PowerShell never has to load AssemblyLoadContext.</summary>
        static class IsolatedContext
        {
            public static Assembly LoadFrom(string folder) =>
                new DependencyContext(folder).LoadFromAssemblyPath(Path.Combine(folder, AssemblyFile));
        }

        sealed class DependencyContext : AssemblyLoadContext
        {
            readonly string folder;
            readonly HashSet<string> platform;

            public DependencyContext(string folder)
            {
                this.folder = folder;
                platform = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
                foreach (string path in trusted.Split(Path.PathSeparator))
                {
                    if (path.Length > 0) platform.Add(Path.GetFileNameWithoutExtension(path));
                }
            }

            protected override Assembly Load(AssemblyName name)
            {
                // Shared with the default context: the framework, PowerShell, and AvantiPS (the interface's home).
                if (platform.Contains(name.Name) || name.Name == "AvantiPS" || name.Name == "System.Management.Automation")
                {
                    return null;
                }
                string candidate = Path.Combine(folder, name.Name + ".dll");
                return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
            }
        }
    }
}
