using System;
using System.Management.Automation;
using System.Net;
using AvantiPS.Connections;
using AvantiPS.Vault;

namespace AvantiPS.Commands
{
    /// <summary>
    /// Connect-Avanti: opens a connection to one Avanti company as one API user and gets its first token at once,
    /// so wrong credentials fail here. The connection becomes this runspace's default unless -ReturnConnection.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Avanti", DefaultParameterSetName = PortalSet)]
    [OutputType(typeof(AvantiConnection))]
    public sealed class ConnectAvantiCommand : AvantiCmdlet
    {
        const string PortalSet = "PortalUri";
        const string TenantSet = "Tenant";
        const string ProfileSet = "Profile";

        /// <summary>The Self-Service Portal address as the Avanti administrator gives it.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PortalSet)]
        [ValidateNotNull]
        public Uri PortalUri { get; set; }

        /// <summary>The tenant: the sub-domain (latest portal) or first path segment (legacy portal).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TenantSet)]
        public string Tenant { get; set; }

        /// <summary>Which URL layout the tenant uses; Latest by default.</summary>
        [Parameter(ParameterSetName = TenantSet)]
        [PSDefaultValue(Value = UrlLayout.Latest)]
        public UrlLayout UrlLayout { get; set; } = UrlLayout.Latest;

        /// <summary>The SecretManagement vault that holds the profile to connect with.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        /// <summary>The saved profile to connect with; Default by default.</summary>
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; } = AvantiProfile.DefaultName;

        /// <summary>The company database name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PortalSet)]
        [Parameter(Mandatory = true, ParameterSetName = TenantSet)]
        public string Company { get; set; }

        /// <summary>The API client: client ID as user name, client secret as password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PortalSet)]
        [Parameter(Mandatory = true, ParameterSetName = TenantSet)]
        [AllowNull]
        [NoPromptCredential]
        public PSCredential ClientCredential { get; set; }

        /// <summary>The Avanti API user and password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PortalSet)]
        [Parameter(Mandatory = true, ParameterSetName = TenantSet)]
        [AllowNull]
        [NoPromptCredential]
        public PSCredential Credential { get; set; }

        /// <summary>The device ID for token requests; AvantiPS- plus a new v4 UUID by default (a profile brings its own).</summary>
        [Parameter(ParameterSetName = PortalSet)]
        [Parameter(ParameterSetName = TenantSet)]
        [PSDefaultValue(Help = "AvantiPS- and a new v4 UUID")]
        public string DeviceId { get; set; }

        /// <summary>Overrides the API base the layout gives.</summary>
        [Parameter(ParameterSetName = PortalSet)]
        [Parameter(ParameterSetName = TenantSet)]
        public Uri BaseUri { get; set; }

        /// <summary>Overrides the token endpoint the layout gives.</summary>
        [Parameter(ParameterSetName = PortalSet)]
        [Parameter(ParameterSetName = TenantSet)]
        public Uri TokenUri { get; set; }

        /// <summary>A name for the connection; tenant/company by default.</summary>
        [Parameter]
        public string Name { get; set; }

        /// <summary>A proxy for token and API calls alike; otherwise the process's proxy settings apply.</summary>
        [Parameter]
        public Uri Proxy { get; set; }

        /// <summary>Credentials for -Proxy.</summary>
        [Parameter]
        [NoPromptCredential]
        public PSCredential ProxyCredential { get; set; }

        /// <summary>How long the token request may take, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Also writes the connection to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Returns the connection without making it the runspace's default.</summary>
        [Parameter]
        public SwitchParameter ReturnConnection { get; set; }

        protected override void ProcessRecord()
        {
            object target = ParameterSetName == PortalSet ? (object)PortalUri : ParameterSetName == TenantSet ? Tenant : ProfileName;
            ConnectionSettings settings = ParameterSetName == ProfileSet ? ReadProfile() : SettingsFromParameters(target);
            // Secrets read from a vault are this cmdlet's to drop; those in -Credential belong to the caller.
            bool ownsSecrets = ParameterSetName == ProfileSet;

            WriteVerbose("Connecting to tenant " + settings.Address.Tenant + " (" + settings.Address.Layout + " layout), company " + settings.Company
                + ", as " + settings.UserName + "; API " + settings.Address.BaseUri.AbsoluteUri + ", token " + settings.Address.TokenUri.AbsoluteUri + ".");
            AvantiConnection connection = null;
            try
            {
                connection = Run(ct => AvantiConnection.OpenAsync(settings, Log, ct));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                Fail(ex, target);
                return;
            }
            finally
            {
                if (ownsSecrets)
                {
                    settings.ClientSecret?.Dispose();
                    settings.Password?.Dispose();
                }
            }

            ConnectionRegistry.Add(connection, makeDefault: !ReturnConnection);
            WriteVerbose("Connected as '" + connection.Name + "'" + (ReturnConnection ? " (not made the default connection)." : "; it is now this runspace's default connection."));
            if (PassThru || ReturnConnection)
            {
                WriteObject(connection);
            }
        }

        ConnectionSettings SettingsFromParameters(object target)
        {
            // Where the host can ask, a $null credential was prompted for while binding; here no one could answer.
            if (ClientCredential == null || (ClientCredential.Password.Length == 0 && !HostInteraction.CanAsk(Host)))
            {
                Fail(HostCannotAskException.Credential("-ClientCredential", "the API client ID as user name, the client secret as password"), target);
            }
            if (Credential == null || (Credential.Password.Length == 0 && !HostInteraction.CanAsk(Host)))
            {
                Fail(HostCannotAskException.Credential("-Credential", "the Avanti API user and its password"), target);
            }
            try
            {
                AvantiAddress address = ParameterSetName == PortalSet
                    ? AvantiAddress.FromPortalUri(PortalUri, BaseUri, TokenUri)
                    : AvantiAddress.ForTenant(Tenant, UrlLayout, BaseUri, TokenUri);
                var settings = new ConnectionSettings
                {
                    Address = address,
                    Company = Company?.Trim(),
                    ClientId = ClientCredential?.UserName,
                    ClientSecret = ClientCredential?.Password,
                    UserName = Credential?.UserName,
                    Password = Credential?.Password,
                    DeviceId = MyInvocation.BoundParameters.ContainsKey(nameof(DeviceId)) ? DeviceId : ConnectionSettings.NewDeviceId(),
                    Name = Name,
                    Proxy = BuildProxy(),
                    TokenTimeout = TimeSpan.FromSeconds(TimeoutSec),
                };
                settings.Validate();
                return settings;
            }
            catch (ArgumentException ex)
            {
                Fail(ex, target);
                return null;
            }
        }

        /// <summary>Reads the profile from its vault; the device ID saved in it is reused, so one service keeps one device ID.</summary>
        ConnectionSettings ReadProfile()
        {
            WriteVerbose("Reading AvantiPS profile '" + ProfileName + "' from vault '" + Vault + "'.");
            try
            {
                AvantiProfile.ValidateName(ProfileName);
                ConnectionSettings settings = new ProfileVault(new SecretManagementClient()).Load(Vault, ProfileName);
                settings.Name = Name;
                settings.Proxy = BuildProxy();
                settings.TokenTimeout = TimeSpan.FromSeconds(TimeoutSec);
                settings.Validate();
                return settings;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is AvantiProfileException)
            {
                Fail(ex, ProfileName);
                return null;
            }
        }

        IWebProxy BuildProxy()
        {
            if (Proxy == null) return null;
            // An http proxy is fine: https traffic goes through it in a CONNECT tunnel, still encrypted end to end.
            if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("-Proxy must be an http:// or https:// address, such as http://proxy.example:8080.");
            }
            var proxy = new WebProxy(Proxy);
            if (ProxyCredential != null) proxy.Credentials = ProxyCredential.GetNetworkCredential();
            return proxy;
        }
    }
}
