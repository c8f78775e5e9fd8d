using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AvantiPS.Http
{
    /// <summary>
    /// A read-only view of a response body in which each read must make progress within the timeout and
    /// stops at once on cancellation (Ctrl+C): either one closes the underlying stream, which ends a pending read on
    /// .NET Framework too, and the stream is unusable after that. Network failures mid-body surface as
    /// <see cref="AvantiResponseException"/>.
    /// </summary>
    internal sealed class ReadTimeoutStream : Stream
    {
        readonly Stream inner;
        readonly TimeSpan timeout;
        readonly CancellationToken cancellationToken;
        readonly string what;
        long position;
        volatile bool aborted;

        public ReadTimeoutStream(Stream inner, TimeSpan timeout, CancellationToken cancellationToken, string what)
        {
            this.inner = inner;
            this.timeout = timeout;
            this.cancellationToken = cancellationToken;
            this.what = what;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A timeout that fired just as the previous read completed has closed the stream already.
            if (aborted) throw Stalled();
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, token))
            {
                if (timeout > TimeSpan.Zero) linked.CancelAfter(timeout);
                // .NET Framework's network stream looks at the token only before a read starts; closing the stream is
                // what ends a read that is already waiting, there and on .NET alike, so both take this one path.
                using (linked.Token.Register(AbortPendingRead))
                {
                    try
                    {
                        int read = await inner.ReadAsync(buffer, offset, count, linked.Token).ConfigureAwait(false);
                        position += read;
                        return read;
                    }
                    catch (Exception ex) when (linked.IsCancellationRequested)
                    {
                        // Cancelled (Ctrl+C) or timed out: whatever the aborted read threw, say which of the two it was.
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(ex.Message, ex, cancellationToken);
                        if (token.IsCancellationRequested) throw new OperationCanceledException(ex.Message, ex, token);
                        throw Stalled();
                    }
                    catch (Exception ex) when (ex is IOException || ex is HttpRequestException)
                    {
                        throw new AvantiResponseException("The connection broke while reading the answer to " + what + " after " + position + " bytes: " + ErrorText.Innermost(ex), ex);
                    }
                }
            }
        }

        AvantiResponseException Stalled() =>
            new AvantiResponseException("The answer to " + what + " stalled: no data for " + timeout.TotalSeconds + " seconds after " + position + " bytes (-TimeoutSec).", null, ResponseFailure.Stalled);

        void AbortPendingRead()
        {
            aborted = true;
            try
            {
                inner.Dispose();
            }
            catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is HttpRequestException)
            {
                // The read it was meant to end reports the failure; nothing more to do here.
            }
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
