using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AvantiPS.Loading;

namespace AvantiPS.Tests.Binding
{
    /// <summary>How one assembly reference of the module binds on .NET Framework 4.7.2 (Windows PowerShell 5.1).</summary>
    public enum DesktopBinding
    {
        /// <summary>The framework has the name at the asked version or newer (it unifies to its own).</summary>
        Framework,

        /// <summary>Windows PowerShell itself provides it (System.Management.Automation 3.0.0.0 in the GAC).</summary>
        Host,

        /// <summary>The module ships exactly the asked version.</summary>
        ShippedExact,

        /// <summary>The module ships a newer version, which only the module's resolver hands over.</summary>
        Resolver,

        /// <summary>Only the PowerShell 7 code path uses it; .NET Framework never binds it.</summary>
        CoreOnly,

        /// <summary>Nothing provides it: loading would fail with FileLoadException or FileNotFoundException.</summary>
        Unresolved,
    }

    /// <summary>One assembly reference of one assembly in the module folder.</summary>
    public sealed class BindingFinding
    {
        public string Referencing { get; set; }
        public string Name { get; set; }
        public Version Asked { get; set; }
        public Version Shipped { get; set; }
        public Version Framework { get; set; }
        public DesktopBinding Binding { get; set; }

        public override string ToString() =>
            $"{Referencing} -> {Name} {Asked}: shipped {Shipped?.ToString() ?? "-"}, framework {Framework?.ToString() ?? "-"}: {Binding}";
    }

    /// <summary>
    /// Reads every assembly of a built module folder (and its dependencies/ folder) with System.Reflection.Metadata and
    /// decides, reference by reference, what .NET Framework 4.7.2 would bind it to.
    /// </summary>
    public static class BindingClosure
    {
        // Windows PowerShell 5.1 has System.Management.Automation 3.0.0.0 in the GAC; PowerShellStandard.Library 5.1 builds against it.
        static readonly Dictionary<string, Version> HostProvided = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase)
        {
            ["System.Management.Automation"] = new Version(3, 0, 0, 0),
        };

        // Used only inside OAuthLoader's PowerShell 7 branch (an AssemblyLoadContext), which .NET Framework never runs.
        static readonly HashSet<string> CoreOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "System.Runtime.Loader" };

        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AvantiPS.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException("AvantiPS.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>The .NET Framework 4.7.2 assemblies (tests/AvantiPS.Tests/Binding/net472-assemblies.csv, from build/FrameworkAssemblies.ps1).</summary>
        public static Dictionary<string, Version> FrameworkTable()
        {
            string path = Path.Combine(RepositoryRoot(), "tests", "AvantiPS.Tests", "Binding", "net472-assemblies.csv");
            return File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(','))
                .ToDictionary(f => f[0], f => Version.Parse(f[1]), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Every reference of every assembly in the module, classified.</summary>
        public static List<BindingFinding> Check(string moduleFolder, IReadOnlyDictionary<string, Version> framework, bool resolverOn)
        {
            // The resolver the module registers at import on .NET Framework, over the same folders.
            ShippedAssemblies shipped = DesktopAssemblyResolver.ModuleAssemblies(moduleFolder);
            var findings = new List<BindingFinding>();
            foreach (string file in ModuleAssemblies(moduleFolder))
            {
                foreach (AssemblyName reference in References(file, out string referencing))
                {
                    var finding = new BindingFinding
                    {
                        Referencing = referencing,
                        Name = reference.Name,
                        Asked = reference.Version,
                        Shipped = shipped.Shipped(reference.Name)?.Version,
                        Framework = framework.TryGetValue(reference.Name, out Version v) ? v : null,
                    };
                    finding.Binding = Classify(finding, reference, shipped, resolverOn);
                    findings.Add(finding);
                }
            }
            return findings;
        }

        static DesktopBinding Classify(BindingFinding f, AssemblyName reference, ShippedAssemblies shipped, bool resolverOn)
        {
            if (f.Framework != null && f.Framework >= f.Asked) return DesktopBinding.Framework;
            if (HostProvided.TryGetValue(f.Name, out Version host) && host >= f.Asked) return DesktopBinding.Host;
            if (f.Shipped != null && f.Shipped == f.Asked) return DesktopBinding.ShippedExact;
            if (resolverOn && shipped.Resolve(reference) != null) return DesktopBinding.Resolver;
            if (CoreOnly.Contains(f.Name)) return DesktopBinding.CoreOnly;
            return DesktopBinding.Unresolved;
        }

        static IEnumerable<string> ModuleAssemblies(string moduleFolder)
        {
            string dependencies = Path.Combine(moduleFolder, ModuleLayout.DependenciesFolder);
            return Directory.GetFiles(moduleFolder, "*.dll")
                .Concat(Directory.Exists(dependencies) ? Directory.GetFiles(dependencies, "*.dll") : Array.Empty<string>())
                .OrderBy(p => p, StringComparer.Ordinal);
        }

        static List<AssemblyName> References(string file, out string referencing)
        {
            using (var stream = File.OpenRead(file))
            using (var pe = new PEReader(stream))
            {
                MetadataReader reader = pe.GetMetadataReader();
                referencing = reader.GetString(reader.GetAssemblyDefinition().Name);
                var names = new List<AssemblyName>();
                foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
                {
                    AssemblyName name = reader.GetAssemblyReference(handle).GetAssemblyName();
                    names.Add(name);
                }
                return names;
            }
        }
    }
}
