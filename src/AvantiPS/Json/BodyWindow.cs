using System;
using System.IO;

namespace AvantiPS.Json
{
    /// <summary>
    /// The part of a JSON body that a reader has in hand: <see cref="Buffer"/> from <see cref="Start"/> (the first
    /// byte not yet used) to <see cref="End"/> (the last byte read so far). Reading more moves the unused bytes to
    /// the front and grows the buffer only when a single value fills it, up to a limit. Shared by the readers of
    /// endpoint answers (<see cref="JsonStreamReader{T}"/>) and of report rows, which also share the rules for
    /// what may stand around the JSON: a UTF-8 byte-order mark before it, whitespace after it.
    /// </summary>
    internal sealed class BodyWindow
    {
        static readonly byte[] Utf8Bom = { 0xEF, 0xBB, 0xBF };

        readonly Stream stream;
        readonly int maximum;
        readonly string tooLarge;
        long consumedBefore;
        bool bomChecked;

        /// <summary>A body read from a stream; <paramref name="tooLarge"/> is the error when one value passes <paramref name="maximum"/> bytes.</summary>
        public BodyWindow(Stream stream, int initial, int maximum, string tooLarge)
        {
            this.stream = stream;
            this.maximum = maximum;
            this.tooLarge = tooLarge;
            Buffer = new byte[initial];
        }

        /// <summary>A body that is all in memory, read in place.</summary>
        public BodyWindow(ArraySegment<byte> body)
        {
            Buffer = body.Array ?? new byte[0];
            Start = body.Offset;
            End = body.Offset + body.Count;
            consumedBefore = -body.Offset;
            EndOfStream = true;
        }

        public byte[] Buffer { get; private set; }

        /// <summary>The first byte not used yet.</summary>
        public int Start { get; set; }

        /// <summary>Where the bytes read so far end.</summary>
        public int End { get; private set; }

        /// <summary>True once the stream has no more.</summary>
        public bool EndOfStream { get; private set; }

        /// <summary>Bytes of the body read so far.</summary>
        public long BytesRead => consumedBefore + End;

        /// <summary>The place in the whole body of an index into <see cref="Buffer"/>, for error messages.</summary>
        public long PositionOf(int index) => consumedBefore + index;

        /// <summary>
        /// Steps over a UTF-8 byte-order mark at the very start of the body. False while too few bytes are in to
        /// tell (call <see cref="Fill"/> and ask again); true once decided.
        /// </summary>
        public bool SkipByteOrderMark()
        {
            if (bomChecked) return true;
            if (End - Start < Utf8Bom.Length && !EndOfStream) return false;
            if (End - Start >= Utf8Bom.Length && new ReadOnlySpan<byte>(Buffer, Start, Utf8Bom.Length).SequenceEqual(Utf8Bom))
            {
                Start += Utf8Bom.Length;
            }
            bomChecked = true;
            return true;
        }

        /// <summary>True when the unused bytes in hand are whitespace only (or there are none).</summary>
        public bool IsBlank() => FirstNonBlank() < 0;

        /// <summary>Reads the rest of the body, which may hold whitespace only.</summary>
        public void VerifyTrailing()
        {
            while (true)
            {
                int at = FirstNonBlank();
                if (at >= 0)
                {
                    throw new JsonInvalidException(PositionOf(at), "unexpected data after the end of the JSON value.", null);
                }
                Start = End;
                if (EndOfStream) return;
                Fill();
            }
        }

        /// <summary>Above this many bytes of an unfinished value, <see cref="FillFor"/> waits for as many again.</summary>
        internal const int LargeValue = 64 * 1024;

        /// <summary>
        /// Reads more for a value that is not all in, <paramref name="unfinished"/> bytes of which a reader has yet to
        /// finish: one read, or, for a large value, enough to double them (or to the end), so a value of many
        /// megabytes arriving in small reads is read again a few times, not once per read.
        /// </summary>
        public void FillFor(int unfinished) => Fill(unfinished > LargeValue ? unfinished : 1);

        /// <summary>
        /// Reads more of the body: at least <paramref name="wanted"/> bytes (fewer when the limit comes first), or to
        /// its end. The unused bytes move to the front first; the buffer doubles only when they fill it.
        /// </summary>
        public void Fill(int wanted = 1)
        {
            if (Start > 0)
            {
                int remaining = End - Start;
                System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, remaining);
                consumedBefore += Start;
                Start = 0;
                End = remaining;
            }
            // A caller that asks for as much again as it has must not pass the limit by asking: a value of 300 MB
            // under a 512 MB limit is read, and only a value beyond the limit is refused.
            wanted = Math.Max(1, Math.Min(wanted, maximum - End));
            int got = 0;
            while (got < wanted && !EndOfStream)
            {
                if (End == Buffer.Length)
                {
                    if (Buffer.Length >= maximum)
                    {
                        throw new JsonInvalidException(BytesRead, tooLarge, null);
                    }
                    byte[] larger = Buffer;
                    Array.Resize(ref larger, (int)Math.Min((long)Buffer.Length * 2, maximum));
                    Buffer = larger;
                }
                int read = stream.Read(Buffer, End, Buffer.Length - End);
                if (read == 0)
                {
                    EndOfStream = true;
                }
                End += read;
                got += read;
            }
        }

        int FirstNonBlank()
        {
            int at = PlainJson.SkipBlank(Buffer, Start, End);
            return at < End ? at : -1;
        }
    }
}
