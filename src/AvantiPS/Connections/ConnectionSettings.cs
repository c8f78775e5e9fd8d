using System;
using System.Net;
using System.Security;

namespace AvantiPS.Connections
{
    /// <summary>Everything needed to open a connection; the cmdlet fills it from parameters or a saved profile.</summary>
    internal sealed class ConnectionSettings
    {
        public AvantiAddress Address { get; set; }

        public string Company { get; set; }

        public string ClientId { get; set; }

        public SecureString ClientSecret { get; set; }

        public string UserName { get; set; }

        public SecureString Password { get; set; }

        public string DeviceId { get; set; }

        public string Name { get; set; }

        public IWebProxy Proxy { get; set; }

        public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The vault and profile the settings were read from; null when they came from parameters.</summary>
        public string Vault { get; set; }

        public string ProfileName { get; set; }

        /// <summary>The prefix of generated device IDs; a v4 UUID follows it.</summary>
        public const string DeviceIdPrefix = "AvantiPS-";

        public const int MaximumDeviceIdLength = 128;

        public static string NewDeviceId() => DeviceIdPrefix + Guid.NewGuid().ToString("D");

        /// <summary>Checks what a token request would otherwise be refused for, so the error can say exactly what to fix.</summary>
        public void Validate()
        {
            if (Address == null) throw new ArgumentException("Give -PortalUri, or -Tenant, to say which Avanti portal to connect to.");
            if (string.IsNullOrWhiteSpace(Company))
            {
                throw new ArgumentException("The company is empty. -Company is the Avanti company database name (for example AVANTI_ABC_LIVE), not its display name; your Avanti administrator has it.");
            }
            if (Company.Length > 128 || HasControl(Company))
            {
                throw new ArgumentException("The company '" + AvantiAddress.Printable(Company) + "' is not a company database name: it must be at most 128 printable characters.");
            }
            if (string.IsNullOrWhiteSpace(ClientId) || HasControl(ClientId))
            {
                throw new ArgumentException("The client ID is empty or not printable. -ClientCredential takes the API client ID as user name and the client secret as password.");
            }
            if (ClientSecret == null || ClientSecret.Length == 0)
            {
                throw new ArgumentException("The client secret is empty. -ClientCredential takes the API client ID as user name and the client secret as password.");
            }
            if (string.IsNullOrWhiteSpace(UserName) || HasControl(UserName))
            {
                throw new ArgumentException("The Avanti user name is empty or not printable. -Credential takes the Avanti API user and its password.");
            }
            if (Password == null || Password.Length == 0)
            {
                throw new ArgumentException("The password of Avanti user '" + UserName + "' is empty. -Credential takes the Avanti API user and its password.");
            }
            if (string.IsNullOrWhiteSpace(DeviceId) || DeviceId.Length > MaximumDeviceIdLength || HasControl(DeviceId))
            {
                throw new ArgumentException("The device ID must be 1 to " + MaximumDeviceIdLength + " printable characters; Avanti recommends a service prefix and a v4 UUID, as in " + DeviceIdPrefix + "<uuid>.");
            }
        }

        static bool HasControl(string value)
        {
            foreach (char c in value)
            {
                if (char.IsControl(c)) return true;
            }
            return false;
        }
    }
}
