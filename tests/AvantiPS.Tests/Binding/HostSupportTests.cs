using System;
using System.Net;
using AvantiPS.Loading;
using Xunit;

namespace AvantiPS.Tests.Binding
{
    public class HostSupportTests
    {
        // SSL 3 and TLS 1.0 by value: .NET marks their enum members obsolete.
        const SecurityProtocolType Ssl3 = (SecurityProtocolType)48;
        const SecurityProtocolType Tls10 = (SecurityProtocolType)192;

        [Theory]
        [InlineData("7.0", "3.1")]
        [InlineData("7.2", "6.0")]
        [InlineData("7.3", "7.0")]
        public void PowerShell_7_before_7_4_is_refused_with_the_versions_named(string powerShell, string runtime)
        {
            string message = HostRuntime.Unsupported(false, Version.Parse(runtime), Version.Parse(powerShell + ".0.500"));
            Assert.NotNull(message);
            Assert.Contains("PowerShell 7.4 or later", message);
            Assert.Contains("This is PowerShell " + powerShell + " on .NET " + runtime, message);
        }

        [Theory]
        [InlineData(false, "8.0.11", "7.4.0.500")]
        [InlineData(false, "10.0.1", "7.6.0.500")]
        [InlineData(true, "4.0.30319", "3.0.0.0")] // Windows PowerShell 5.1: the manifest checks it
        public void Supported_hosts_pass(bool netFramework, string runtime, string powerShell)
        {
            Assert.Null(HostRuntime.Unsupported(netFramework, Version.Parse(runtime), Version.Parse(powerShell)));
        }

        [Fact]
        public void Tls_1_2_and_1_3_are_added_to_Windows_PowerShells_default_and_nothing_is_removed()
        {
            // Windows PowerShell 5.1's default without the SchUseStrongCrypto registry setting.
            var result = TlsProtocols.WithModernVersions(Ssl3 | Tls10);
            // This runtime's enum has Tls13 (so does .NET Framework 4.8's); netstandard2.0 cannot name it.
            Assert.Equal(Ssl3 | Tls10 | SecurityProtocolType.Tls12 | SecurityProtocolType.Tls13, result);
        }

        [Theory]
        [InlineData(3072)] // Tls12
        [InlineData(768)] // Tls11
        [InlineData(3072 | 12288)] // Tls12 | Tls13
        [InlineData(48 | 192 | 768)] // Ssl3 | Tls | Tls11
        public void Protocols_already_chosen_are_kept(int value)
        {
            var current = (SecurityProtocolType)value;
            var result = TlsProtocols.WithModernVersions(current);
            Assert.Equal(current, result & current);
            Assert.True(result.HasFlag(SecurityProtocolType.Tls12));
        }

        [Fact]
        public void SystemDefault_stays_the_operating_systems_choice()
        {
            Assert.Equal(SecurityProtocolType.SystemDefault, TlsProtocols.WithModernVersions(SecurityProtocolType.SystemDefault));
        }
    }
}
