using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Auth;
using AvantiPS.Http;

namespace AvantiPS.Connections
{
    /// <summary>
    /// An open connection to one Avanti company as one user: its addresses, its device ID and its token cache.
    /// Safe to share between runspaces (ForEach-Object -Parallel with $using:): they share one token cache.
    /// Public members never expose a secret, so Format-List * and Export-Clixml are safe.
    /// </summary>
    public sealed class AvantiConnection : IDisposable
    {
        readonly HttpClient http;
        readonly AvantiCredentials credentials;
        readonly bool isCopy;
        readonly string copyReopenFailure;
        int closed;

        AvantiConnection(ConnectionSettings settings, Func<DateTimeOffset> clock)
        {
            Id = Guid.NewGuid();
            Address = settings.Address;
            Company = settings.Company;
            UserName = settings.UserName;
            ClientId = settings.ClientId;
            DeviceId = settings.DeviceId;
            ConnectedOn = clock();
            Name = string.IsNullOrWhiteSpace(settings.Name) ? Address.Tenant + "/" + Company : settings.Name;
            Vault = settings.Vault;
            ProfileName = settings.ProfileName;
            var proxy = settings.Proxy as WebProxy;
            Proxy = proxy?.Address;
            ProxyUsesCredential = proxy?.Credentials != null;
            TimeoutSec = (int)Math.Round(settings.TokenTimeout.TotalSeconds);
            credentials = new AvantiCredentials(settings.ClientId, settings.ClientSecret, settings.UserName, settings.Password);

            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
            };
            if (settings.Proxy != null)
            {
                handler.Proxy = settings.Proxy;
                handler.UseProxy = true;
            }
            http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("AvantiPS/" + typeof(AvantiConnection).Assembly.GetName().Version.ToString(3));

            var tokenClient = new TokenClient(http, Address, credentials, Company, DeviceId, settings.TokenTimeout);
            Tokens = new TokenProvider((log, ct) => tokenClient.RequestAsync(log, clock, ct), clock);
            Pipeline = new AvantiHttpPipeline(http, Address, Tokens);
        }

        /// <summary>A stand-in for a serialized copy that could not be re-opened: closed from the start, it only explains.</summary>
        AvantiConnection(Guid id, string name, string userName, string reopenFailure)
        {
            Id = id;
            Name = name;
            UserName = userName;
            isCopy = true;
            copyReopenFailure = reopenFailure;
            closed = 1;
        }

        /// <summary>The unusable stand-in of a serialized copy; every use fails with AvantiConnectionCopy (saying why a re-open from its profile failed, if one was tried).</summary>
        internal static AvantiConnection Copy(Guid id, string name, string userName, string reopenFailure = null) => new AvantiConnection(id, name ?? "(unnamed)", userName, reopenFailure);

        /// <summary>Opens a connection and fetches its first token, so bad credentials fail here and not later.</summary>
        internal static async Task<AvantiConnection> OpenAsync(ConnectionSettings settings, RequestLog log, CancellationToken cancellationToken)
        {
            settings.Validate();
            var connection = new AvantiConnection(settings, () => DateTimeOffset.UtcNow);
            try
            {
                await connection.Tokens.GetAsync(false, log, cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>A unique ID for this connection.</summary>
        public Guid Id { get; }

        /// <summary>A name to tell connections apart; tenant/company unless Connect-Avanti -Name set one.</summary>
        public string Name { get; }

        /// <summary>The tenant and its URLs.</summary>
        public AvantiAddress Address { get; }

        public string Tenant => Address?.Tenant;

        /// <summary>The company database name.</summary>
        public string Company { get; }

        /// <summary>The Avanti user the connection acts as.</summary>
        public string UserName { get; }

        /// <summary>The API client ID (not secret; the client secret is never exposed).</summary>
        public string ClientId { get; }

        /// <summary>The device ID sent with every token request.</summary>
        public string DeviceId { get; }

        public UrlLayout? UrlLayout => Address?.Layout;

        public Uri BaseUri => Address?.BaseUri;

        public Uri TokenUri => Address?.TokenUri;

        /// <summary>The vault of the profile this connection was opened from; null when it was opened from parameters.</summary>
        public string Vault { get; }

        /// <summary>The profile this connection was opened from (see <see cref="Vault"/>).</summary>
        public string ProfileName { get; }

        /// <summary>The proxy its requests go through (Connect-Avanti -Proxy); null for the process's proxy settings.</summary>
        public Uri Proxy { get; }

        /// <summary>True when the proxy is given an account (Connect-Avanti -ProxyCredential); the account itself is never exposed.</summary>
        public bool ProxyUsesCredential { get; }

        /// <summary>How long a token request may take, in seconds (Connect-Avanti -TimeoutSec).</summary>
        public int TimeoutSec { get; }

        public DateTimeOffset ConnectedOn { get; }

        /// <summary>When the cached token expires; null when there is none (or the connection is closed).</summary>
        public DateTimeOffset? TokenExpiresOn => Tokens?.Current?.ExpiresOn;

        /// <summary>How many token grants this connection has made.</summary>
        public int TokenGrantCount => Tokens?.GrantCount ?? 0;

        public bool IsOpen => Volatile.Read(ref closed) == 0;

        internal TokenProvider Tokens { get; }

        internal AvantiHttpPipeline Pipeline { get; }

        /// <summary>
        /// The settings this connection was opened with, secrets included (as copies the caller must dispose), for
        /// saving it as a profile. Internal on purpose: no public member ever hands out a secret.
        /// </summary>
        internal ConnectionSettings ExportSettings()
        {
            EnsureOpen();
            return new ConnectionSettings
            {
                Address = Address,
                Company = Company,
                ClientId = ClientId,
                ClientSecret = credentials.ClientSecret.Copy(),
                UserName = UserName,
                Password = credentials.Password.Copy(),
                DeviceId = DeviceId,
            };
        }

        internal void EnsureOpen()
        {
            if (isCopy) throw AvantiConnectionClosedException.Copy(Name, copyReopenFailure);
            if (!IsOpen) throw AvantiConnectionClosedException.Closed(Name);
        }

        /// <summary>
        /// Closes the connection and drops its secrets and token from memory. A connection shared with other
        /// runspaces (ForEach-Object -Parallel, thread jobs) is closed for all of them: their calls then fail with
        /// AvantiConnectionClosed, including a call under way when it was closed.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) != 0) return;
            Tokens.Dispose();
            credentials.Dispose();
            http.Dispose();
        }

        public override string ToString() => Name + " (" + UserName + ")";
    }
}
