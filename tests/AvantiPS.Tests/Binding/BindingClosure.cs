using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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

        /// <summary>
        /// The assemblies that the base types and interfaces of the public types of <paramref name="assemblyPath"/>
        /// live in. Windows PowerShell loads every public type of a binary module (Assembly.GetExportedTypes) before it
        /// runs the module's initializer, so these must bind without the resolver.
        /// </summary>
        public static List<(string Type, AssemblyName Needs)> ExportedTypeDependencies(string assemblyPath)
        {
            using (var stream = File.OpenRead(assemblyPath))
            using (var pe = new PEReader(stream))
            {
                MetadataReader reader = pe.GetMetadataReader();
                var provider = new ScopeProvider(reader);
                var result = new List<(string, AssemblyName)>();
                foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
                {
                    TypeDefinition type = reader.GetTypeDefinition(handle);
                    if (!IsExported(reader, type)) continue;
                    string name = reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
                    var bases = new List<EntityHandle>();
                    if (!type.BaseType.IsNil) bases.Add(type.BaseType);
                    bases.AddRange(type.GetInterfaceImplementations().Select(i => reader.GetInterfaceImplementation(i).Interface));
                    foreach (EntityHandle b in bases)
                    {
                        foreach (AssemblyName needed in provider.Scopes(b)) result.Add((name, needed));
                    }
                }
                return result;
            }
        }

        static bool IsExported(MetadataReader reader, TypeDefinition type)
        {
            TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public) return true;
            return visibility == TypeAttributes.NestedPublic && IsExported(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        /// <summary>Which referenced assemblies a type handle (with its generic arguments) comes from.</summary>
        sealed class ScopeProvider : ISignatureTypeProvider<List<AssemblyName>, object>
        {
            readonly MetadataReader reader;

            public ScopeProvider(MetadataReader reader)
            {
                this.reader = reader;
            }

            public List<AssemblyName> Scopes(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference: return GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0);
                    case HandleKind.TypeSpecification: return GetTypeFromSpecification(reader, null, (TypeSpecificationHandle)handle, 0);
                    default: return new List<AssemblyName>();
                }
            }

            static List<AssemblyName> None() => new List<AssemblyName>();

            static List<AssemblyName> Join(IEnumerable<List<AssemblyName>> parts) => parts.SelectMany(p => p).ToList();

            public List<AssemblyName> GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind)
            {
                TypeReference reference = r.GetTypeReference(handle);
                switch (reference.ResolutionScope.Kind)
                {
                    case HandleKind.AssemblyReference:
                        return new List<AssemblyName> { r.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).GetAssemblyName() };
                    case HandleKind.TypeReference:
                        return GetTypeFromReference(r, (TypeReferenceHandle)reference.ResolutionScope, rawTypeKind);
                    default:
                        return None();
                }
            }

            public List<AssemblyName> GetTypeFromSpecification(MetadataReader r, object context, TypeSpecificationHandle handle, byte rawTypeKind) =>
                r.GetTypeSpecification(handle).DecodeSignature(this, context);

            public List<AssemblyName> GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => None();
            public List<AssemblyName> GetPrimitiveType(PrimitiveTypeCode typeCode) => None();
            public List<AssemblyName> GetGenericInstantiation(List<AssemblyName> genericType, ImmutableArray<List<AssemblyName>> typeArguments) => Join(new[] { genericType }.Concat(typeArguments));
            public List<AssemblyName> GetArrayType(List<AssemblyName> elementType, ArrayShape shape) => elementType;
            public List<AssemblyName> GetSZArrayType(List<AssemblyName> elementType) => elementType;
            public List<AssemblyName> GetByReferenceType(List<AssemblyName> elementType) => elementType;
            public List<AssemblyName> GetPointerType(List<AssemblyName> elementType) => elementType;
            public List<AssemblyName> GetPinnedType(List<AssemblyName> elementType) => elementType;
            public List<AssemblyName> GetModifiedType(List<AssemblyName> modifier, List<AssemblyName> unmodifiedType, bool isRequired) => Join(new[] { modifier, unmodifiedType });
            public List<AssemblyName> GetFunctionPointerType(MethodSignature<List<AssemblyName>> signature) => Join(new[] { signature.ReturnType }.Concat(signature.ParameterTypes));
            public List<AssemblyName> GetGenericMethodParameter(object context, int index) => None();
            public List<AssemblyName> GetGenericTypeParameter(object context, int index) => None();
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
