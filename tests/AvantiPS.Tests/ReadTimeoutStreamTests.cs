using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AvantiPS.Http;
using Xunit;

namespace AvantiPS.Tests
{
    /// <summary>
    /// A stalled body read must end on timeout and on Ctrl+C even when the network stream ignores the token once a
    /// read has started, as .NET Framework's does: closing the stream is what ends it.
    /// </summary>
    public class ReadTimeoutStreamTests
    {
        // Guards the test run against a hang; not a measure of speed.
        static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

        /// <summary>Like .NET Framework's network stream: a pending read ignores its token and ends only when the stream is closed.</summary>
        sealed class TokenIgnoringStream : Stream
        {
            readonly TaskCompletionSource<int> pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            readonly Func<Exception> onClose;

            public TokenIgnoringStream(Func<Exception> onClose)
            {
                this.onClose = onClose;
            }

            public bool Closed { get; private set; }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => pending.Task;

            public override int Read(byte[] buffer, int offset, int count) => pending.Task.GetAwaiter().GetResult();

            protected override void Dispose(bool disposing)
            {
                Closed = true;
                pending.TrySetException(onClose());
                base.Dispose(disposing);
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => 0; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        static Exception Aborted() => new IOException("Unable to read data from the transport connection: The I/O operation has been aborted.");

        static Exception Disposed() => new ObjectDisposedException("System.Net.Sockets.NetworkStream");

        static async Task<Exception> Outcome(Task<int> read)
        {
            Assert.Same(read, await Task.WhenAny(read, Task.Delay(HangGuard)));
            return await Record.ExceptionAsync(() => read);
        }

        [Fact]
        public void The_fixture_stream_ignores_a_cancelled_token_like_NET_Framework()
        {
            var inner = new TokenIgnoringStream(Aborted);
            Task<int> read = inner.ReadAsync(new byte[16], 0, 16, new CancellationToken(canceled: true));
            Assert.False(read.IsCompleted);
            inner.Dispose();
            Assert.True(read.IsFaulted);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_stalled_read_ends_on_timeout_as_a_stall_error(bool throwsIOException)
        {
            var inner = new TokenIgnoringStream(throwsIOException ? (Func<Exception>)Aborted : Disposed);
            using (var body = new ReadTimeoutStream(inner, TimeSpan.FromMilliseconds(200), CancellationToken.None, "GET /v1/Reporter/Report"))
            {
                Exception error = await Outcome(body.ReadAsync(new byte[16], 0, 16));
                var stalled = Assert.IsType<AvantiResponseException>(error);
                Assert.Equal(ResponseFailure.Stalled, stalled.Failure);
                Assert.Contains("GET /v1/Reporter/Report stalled", stalled.Message);
                Assert.True(inner.Closed);
                // A caller that reads on gets the same error, not a .NET ObjectDisposedException.
                var again = await Assert.ThrowsAsync<AvantiResponseException>(() => body.ReadAsync(new byte[16], 0, 16));
                Assert.Equal(ResponseFailure.Stalled, again.Failure);
            }
        }

        [Fact]
        public async Task A_stalled_read_ends_on_cancellation_as_a_cancellation()
        {
            var inner = new TokenIgnoringStream(Aborted);
            using (var stop = new CancellationTokenSource())
            using (var body = new ReadTimeoutStream(inner, TimeSpan.FromHours(1), stop.Token, "GET /v1/PersonalInfo"))
            {
                Task<int> read = body.ReadAsync(new byte[16], 0, 16);
                Assert.False(read.IsCompleted);
                stop.Cancel();
                var cancelled = Assert.IsAssignableFrom<OperationCanceledException>(await Outcome(read));
                Assert.Equal(stop.Token, cancelled.CancellationToken);
                Assert.True(inner.Closed);
            }
        }

        [Fact]
        public async Task A_read_that_gets_data_returns_it_and_leaves_the_stream_open()
        {
            var inner = new MemoryStream(new byte[] { 1, 2, 3 });
            using (var body = new ReadTimeoutStream(inner, TimeSpan.FromHours(1), CancellationToken.None, "GET /v1/PersonalInfo"))
            {
                var buffer = new byte[16];
                Assert.Equal(3, await body.ReadAsync(buffer, 0, 16));
                Assert.Equal(3, body.Position);
                Assert.Equal(0, await body.ReadAsync(buffer, 0, 16));
                Assert.True(inner.CanRead, "the stream is closed only to end a stalled or cancelled read");
            }
        }
    }
}
