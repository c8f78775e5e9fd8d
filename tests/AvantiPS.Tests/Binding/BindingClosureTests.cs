using System;
using System.IO;
using System.Linq;
using AvantiPS.Loading;
using Xunit;
using Xunit.Abstractions;

namespace AvantiPS.Tests.Binding
{
    /// <summary>
    /// Would Windows PowerShell 5.1 (.NET Framework 4.7.2) bind every assembly the built module references? Reads
    /// out/AvantiPS as the Build task leaves it, so run `./build.ps1 -Task Test` (which builds first).
    /// </summary>
    public class BindingClosureTests
    {
        readonly ITestOutputHelper output;

        public BindingClosureTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        internal static string BuiltModule()
        {
            string folder = Path.Combine(BindingClosure.RepositoryRoot(), "out", "AvantiPS");
            Assert.True(File.Exists(Path.Combine(folder, "AvantiPS.dll")), "The built module is missing at " + folder + ": run ./build.ps1 -Task Build (the Test task does).");
            return folder;
        }

        [Fact]
        public void Every_reference_of_the_built_module_binds_on_NET_Framework_472()
        {
            var findings = BindingClosure.Check(BuiltModule(), BindingClosure.FrameworkTable(), resolverOn: true);
            foreach (var finding in findings.Where(f => f.Binding != DesktopBinding.Framework)) output.WriteLine(finding.ToString());

            // The walk saw the whole module: the root assembly, its JSON stack and the isolated OAuth pair.
            var referencing = findings.Select(f => f.Referencing).Distinct().ToList();
            foreach (string name in new[] { "AvantiPS", "System.Text.Json", "System.Memory", "AvantiPS.OAuth", "IdentityModel" }) Assert.Contains(name, referencing);
            Assert.Empty(findings.Where(f => f.Binding == DesktopBinding.Unresolved).Select(f => f.ToString()));
        }

        [Fact]
        public void Without_the_resolver_the_mismatches_of_the_shipped_layout_are_reported()
        {
            var unresolved = BindingClosure.Check(BuiltModule(), BindingClosure.FrameworkTable(), resolverOn: false)
                .Where(f => f.Binding == DesktopBinding.Unresolved).ToList();
            foreach (var finding in unresolved) output.WriteLine(finding.ToString());

            Assert.Equal(new[] { "System.Buffers", "System.Numerics.Vectors", "System.Runtime.CompilerServices.Unsafe" },
                unresolved.Select(f => f.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains(unresolved, f => f.Name == "System.Runtime.CompilerServices.Unsafe" && f.Asked == new Version(4, 0, 4, 1) && f.Shipped == new Version(6, 0, 0, 0) && f.Referencing == "System.Memory");
            Assert.Contains(unresolved, f => f.Name == "System.Buffers" && f.Asked == new Version(4, 0, 2, 0) && f.Shipped == new Version(4, 0, 3, 0) && f.Referencing == "System.Text.Json");
            Assert.Contains(unresolved, f => f.Name == "System.Numerics.Vectors" && f.Asked == new Version(4, 1, 3, 0) && f.Shipped == new Version(4, 1, 4, 0) && f.Referencing == "System.Memory");
        }

        [Fact]
        public void The_public_types_load_before_the_resolver_is_registered()
        {
            // Windows PowerShell calls Assembly.GetExportedTypes() on AvantiPS.dll before the module's initializer runs.
            string module = BuiltModule();
            var framework = BindingClosure.FrameworkTable();
            var needs = BindingClosure.ExportedTypeDependencies(Path.Combine(module, "AvantiPS.dll"));
            Assert.Contains(needs, n => n.Needs.Name == "System.Management.Automation"); // the cmdlets' base class: the walk sees them
            var bindings = BindingClosure.Check(module, framework, resolverOn: false).Where(f => f.Referencing == "AvantiPS")
                .ToDictionary(f => f.Name, f => f.Binding, StringComparer.OrdinalIgnoreCase);
            foreach (var (type, assembly) in needs.Where(n => n.Needs.Name != "netstandard"))
            {
                output.WriteLine(type + " needs " + assembly.Name + " " + assembly.Version + ": " + bindings[assembly.Name]);
                Assert.True(bindings[assembly.Name] == DesktopBinding.Framework || bindings[assembly.Name] == DesktopBinding.Host || bindings[assembly.Name] == DesktopBinding.ShippedExact,
                    type + " needs " + assembly.Name + ", which binds only through the resolver (" + bindings[assembly.Name] + ")");
            }
        }

        [Fact]
        public void The_framework_table_holds_what_netstandard_libraries_need_on_NET_Framework_472()
        {
            var table = BindingClosure.FrameworkTable();
            Assert.Equal(new Version(2, 0, 0, 0), table["netstandard"]);
            Assert.Equal(new Version(4, 0, 0, 0), table["mscorlib"]);
            Assert.False(table.ContainsKey("System.Memory"), "System.Memory is not part of .NET Framework 4.7.2; the module must ship it.");
        }
    }
}
