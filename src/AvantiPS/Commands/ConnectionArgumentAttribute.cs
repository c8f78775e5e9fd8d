using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Threading;
using AvantiPS.Connections;
using AvantiPS.Http;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Lets -Connection take the serialized copy a Start-Job or Invoke-Command hands over ($using:connection). A
    /// copy carries no token or secret, so a connection that was opened from a profile is opened again from that
    /// profile (once per process), with the proxy address and token timeout the original was opened with; any other
    /// copy, or one whose proxy needs an account (a secret the copy cannot carry), becomes a closed stand-in whose use
    /// fails with AvantiConnectionCopy, an error that says what works instead. Live connections pass through untouched.
    /// </summary>
    public sealed class ConnectionArgumentAttribute : ArgumentTransformationAttribute
    {
        static readonly string CopyTypeName = "Deserialized." + typeof(AvantiConnection).FullName;
        static readonly ConcurrentDictionary<Guid, AvantiConnection> Reopened = new ConcurrentDictionary<Guid, AvantiConnection>();

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (!(inputData is PSObject copy) || copy.BaseObject is AvantiConnection || !copy.TypeNames.Contains(CopyTypeName)) return inputData;

            Guid.TryParse(Text(copy, nameof(AvantiConnection.Id)), out Guid id);
            string name = Text(copy, nameof(AvantiConnection.Name));
            string vault = Text(copy, nameof(AvantiConnection.Vault));
            string profileName = Text(copy, nameof(AvantiConnection.ProfileName));
            string userName = Text(copy, nameof(AvantiConnection.UserName));
            if (string.IsNullOrEmpty(vault) || string.IsNullOrEmpty(profileName))
            {
                return AvantiConnection.Copy(id, name, userName);
            }
            if (Reopened.TryGetValue(id, out AvantiConnection open) && open.IsOpen) return open;
            string proxy = Text(copy, nameof(AvantiConnection.Proxy));
            if (string.Equals(Text(copy, nameof(AvantiConnection.ProxyUsesCredential)), bool.TrueString, StringComparison.OrdinalIgnoreCase))
            {
                return AvantiConnection.Copy(id, name, userName,
                    "its proxy " + proxy + " needs the account given with -ProxyCredential, a secret that a copy does not carry. Connect inside the job: Connect-Avanti -Vault " + vault + " -ProfileName " + profileName + " -Proxy " + proxy + " -ProxyCredential <credential>.");
            }

            ConnectionSettings settings = null;
            try
            {
                settings = new ProfileVault(new SecretManagementClient()).Load(vault, profileName);
                settings.Name = name;
                if (!string.IsNullOrEmpty(proxy)) settings.Proxy = new WebProxy(new Uri(proxy));
                if (int.TryParse(Text(copy, nameof(AvantiConnection.TimeoutSec)), NumberStyles.Integer, CultureInfo.InvariantCulture, out int timeout) && timeout > 0)
                {
                    settings.TokenTimeout = TimeSpan.FromSeconds(timeout);
                }
                AvantiConnection connection = AvantiConnection.OpenAsync(settings, new RequestLog(), CancellationToken.None).GetAwaiter().GetResult();
                Reopened[id] = connection;
                return connection;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                // Said where the connection is used, with an AvantiPS error ID, rather than as a binding error here.
                return AvantiConnection.Copy(id, name, userName, "profile '" + profileName + "' in vault '" + vault + "': " + ErrorText.Sentence(ex.Message));
            }
            finally
            {
                settings?.ClientSecret?.Dispose();
                settings?.Password?.Dispose();
            }
        }

        static string Text(PSObject copy, string property) => copy.Properties[property]?.Value?.ToString();
    }
}
