using System;
using System.Management.Automation;
using System.Net;
using AvantiPS.Connections;

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

        /// <summary>The company database name.</summary>
        [Parameter(Mandatory = true)]
        public string Company { get; set; }

        /// <summary>The API client: client ID as user name, client secret as password.</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        public PSCredential ClientCredential { get; set; }

        /// <summary>The Avanti API user and password.</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>The device ID for token requests; AvantiPS- plus a new v4 UUID by default.</summary>
        [Parameter]
        [PSDefaultValue(Help = "AvantiPS- and a new v4 UUID")]
        public string DeviceId { get; set; }

        /// <summary>Overrides the API base the layout gives.</summary>
        [Parameter]
        public Uri BaseUri { get; set; }

        /// <summary>Overrides the token endpoint the layout gives.</summary>
        [Parameter]
        public Uri TokenUri { get; set; }

        /// <summary>A name for the connection; tenant/company by default.</summary>
        [Parameter]
        public string Name { get; set; }

        /// <summary>A proxy for token and API calls alike; otherwise the process's proxy settings apply.</summary>
        [Parameter]
        public Uri Proxy { get; set; }

        /// <summary>Credentials for -Proxy.</summary>
        [Parameter]
        [Credential]
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
            object target = ParameterSetName == PortalSet ? (object)PortalUri : Tenant;
            ConnectionSettings settings;
            try
            {
                AvantiAddress address = ParameterSetName == PortalSet
                    ? AvantiAddress.FromPortalUri(PortalUri, BaseUri, TokenUri)
                    : AvantiAddress.ForTenant(Tenant, UrlLayout, BaseUri, TokenUri);
                settings = new ConnectionSettings
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
            }
            catch (ArgumentException ex)
            {
                Fail(ex, target);
                return;
            }

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

            ConnectionRegistry.Add(connection, makeDefault: !ReturnConnection);
            WriteVerbose("Connected as '" + connection.Name + "'" + (ReturnConnection ? " (not made the default connection)." : "; it is now this runspace's default connection."));
            if (PassThru || ReturnConnection)
            {
                WriteObject(connection);
            }
        }

        IWebProxy BuildProxy()
        {
            if (Proxy == null) return null;
            AvantiAddress.RequireSafeScheme(Proxy, "Proxy");
            var proxy = new WebProxy(Proxy);
            if (ProxyCredential != null) proxy.Credentials = ProxyCredential.GetNetworkCredential();
            return proxy;
        }
    }
}
