using System;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Http;

namespace AvantiPS.Auth
{
    /// <summary>
    /// The token cache of one connection: hands out the current token while it is fresh, and lets exactly one caller
    /// fetch a new one when it is not, however many runspaces ask at the same moment. Avanti has no refresh token,
    /// so every renewal is a new password grant.
    /// </summary>
    internal sealed class TokenProvider : IDisposable
    {
        readonly Func<RequestLog, CancellationToken, Task<AvantiToken>> grant;
        readonly Func<DateTimeOffset> clock;
        readonly SemaphoreSlim gate = new SemaphoreSlim(1, 1);
        AvantiToken current;
        int grantCount;

        public TokenProvider(Func<RequestLog, CancellationToken, Task<AvantiToken>> grant, Func<DateTimeOffset> clock)
        {
            this.grant = grant;
            this.clock = clock;
        }

        /// <summary>The cached token, fresh or not; null before the first grant.</summary>
        public AvantiToken Current => Volatile.Read(ref current);

        /// <summary>How many grants this connection has made.</summary>
        public int GrantCount => Volatile.Read(ref grantCount);

        /// <summary>The current token, renewed first when it is stale (or always, with <paramref name="force"/>).</summary>
        public Task<AvantiToken> GetAsync(bool force, RequestLog log, CancellationToken cancellationToken)
        {
            AvantiToken seen = Current;
            if (!force && seen != null && seen.IsFresh(clock()))
            {
                return Task.FromResult(seen);
            }
            return RenewAsync(seen, force, log, cancellationToken);
        }

        /// <summary>
        /// Called after a 401 with the token that was refused: renews unless another caller already did.
        /// </summary>
        public Task<AvantiToken> RenewAfterRejectionAsync(AvantiToken rejected, RequestLog log, CancellationToken cancellationToken) =>
            RenewAsync(rejected, force: true, log, cancellationToken);

        async Task<AvantiToken> RenewAsync(AvantiToken seen, bool force, RequestLog log, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                AvantiToken now = Current;
                // Someone else renewed while this caller waited: their token is the answer.
                if (now != null && !ReferenceEquals(now, seen) && now.IsFresh(clock()))
                {
                    return now;
                }
                if (!force && now != null && now.IsFresh(clock()))
                {
                    return now;
                }
                Interlocked.Increment(ref grantCount);
                AvantiToken fresh = await GrantWithRetryAsync(log, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref current, fresh);
                log.Verbose("New access token for company " + fresh.Company + ", valid until " + fresh.ExpiresOn.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz") + ".");
                return fresh;
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>
        /// A grant, tried again after a short back-off when the token endpoint was unreachable or busy: a token
        /// request changes nothing, so repeating it is safe, and unattended runs outlive brief outages.
        /// </summary>
        async Task<AvantiToken> GrantWithRetryAsync(RequestLog log, CancellationToken cancellationToken)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await grant(log, cancellationToken).ConfigureAwait(false);
                }
                catch (AvantiAuthenticationException ex) when (ex.IsTransient && attempt <= MaximumGrantRetries)
                {
                    TimeSpan wait = AvantiHttpPipeline.Backoff(GrantRetryInterval, attempt);
                    log.Verbose(ErrorText.Sentence(ex.Message) + " Requesting a token again (retry " + attempt + " of " + MaximumGrantRetries + ") in " + wait.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s.");
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        internal const int MaximumGrantRetries = 3;

        internal static readonly TimeSpan GrantRetryInterval = TimeSpan.FromMilliseconds(500);

        /// <summary>Forgets the token (on disconnect).</summary>
        public void Clear() => Volatile.Write(ref current, null);

        public void Dispose()
        {
            Clear();
            gate.Dispose();
        }
    }
}
