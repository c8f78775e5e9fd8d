using System;
using System.IO;
using System.Reflection;
using AvantiPS.Loading;
using Xunit;

namespace AvantiPS.Tests.Binding
{
    /// <summary>The resolver Windows PowerShell gets in place of binding redirects, driven directly on the built module.</summary>
    public class DesktopAssemblyResolverTests
    {
        static AssemblyName Name(string displayName) => new AssemblyName(displayName);

        [Fact]
        public void A_lower_version_of_a_shipped_name_gets_the_modules_copy()
        {
            string module = BindingClosureTests.BuiltModule();
            ShippedAssemblies shipped = DesktopAssemblyResolver.ModuleAssemblies(module);

            Assert.Equal(Path.Combine(module, "System.Buffers.dll"), shipped.Resolve(Name("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
            Assert.Equal(Path.Combine(module, "System.Runtime.CompilerServices.Unsafe.dll"), shipped.Resolve(Name("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")));
            // The exact shipped version, and a name from dependencies/.
            Assert.Equal(Path.Combine(module, "System.Numerics.Vectors.dll"), shipped.Resolve(Name("System.Numerics.Vectors, Version=4.1.4.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")));
            Assert.Equal(Path.Combine(module, "dependencies", "IdentityModel.dll"), shipped.Resolve(Name("IdentityModel, Version=5.0.0.0")));
        }

        [Theory]
        [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")] // not shipped
        [InlineData("System.Buffers, Version=4.0.4.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")] // newer than shipped
        [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=0123456789abcdef")] // someone else's key
        [InlineData("System.Management.Automation, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")] // PowerShell's own
        public void Names_versions_and_keys_the_module_does_not_ship_are_left_alone(string requested)
        {
            ShippedAssemblies shipped = DesktopAssemblyResolver.ModuleAssemblies(BindingClosureTests.BuiltModule());
            Assert.Null(shipped.Resolve(Name(requested)));
        }

        [Fact]
        public void An_assembly_already_loaded_is_handed_back_instead_of_a_second_copy()
        {
            // This test host loaded AvantiPS 0.1.0.0 from its own bin folder; the module folder has the same identity.
            var resolver = new DesktopAssemblyResolver(DesktopAssemblyResolver.ModuleAssemblies(BindingClosureTests.BuiltModule()), AppDomain.CurrentDomain);
            Assert.Same(typeof(ShippedAssemblies).Assembly, resolver.Resolve("AvantiPS, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));
            Assert.Null(resolver.Resolve("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed"));
        }

        [Fact]
        public void The_handler_answers_while_any_registration_stands_and_the_last_cleanup_removes_it()
        {
            // IdentityModel and AvantiPS.OAuth are not among this test host's assemblies, so only the handler can find them.
            string module = BindingClosureTests.BuiltModule();
            var resolver = new DesktopAssemblyResolver(DesktopAssemblyResolver.ModuleAssemblies(module), AppDomain.CurrentDomain);
            resolver.Register(); // two runspaces import the module
            resolver.Register();
            try
            {
                Assert.Throws<FileNotFoundException>(() => Assembly.Load(Name("AvantiPS.NotShipped, Version=1.0.0.0")));
                resolver.Unregister(); // one removes it: the other still needs the handler
                Assembly identityModel = Assembly.Load(Name("IdentityModel, Version=4.0.0.0"));
                Assert.Equal(Path.Combine(module, "dependencies", "IdentityModel.dll"), identityModel.Location);
                Assert.Equal(new Version(6, 2, 0, 0), identityModel.GetName().Version);
            }
            finally
            {
                resolver.Unregister();
            }
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(Name("AvantiPS.OAuth, Version=0.1.0.0")));
            resolver.Unregister(); // a stray extra removal is harmless
        }
    }
}
