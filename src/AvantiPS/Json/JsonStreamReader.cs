using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AvantiPS.Loading;

namespace AvantiPS.Json
{
    /// <summary>Converts the JSON value at the reader's current token; the reader must end on the value's last token.</summary>
    internal delegate T JsonElementReader<T>(ref Utf8JsonReader reader);

    /// <summary>
    /// Reads a JSON body from a stream one top-level value at a time: each element of a top-level array is handed
    /// out as soon as its last byte has arrived, so the first object reaches the pipeline while the rest is still on
    /// the wire, and only one element is ever buffered. A body that is not an array gives one value. A UTF-8
    /// byte-order mark before the JSON is skipped.
    /// <para>
    /// Linear in the body's size, however large one value is: a value still arriving is scanned once, the scan
    /// resuming where the previous read left it (a <see cref="JsonReaderState"/> carried across reads), and only when
    /// its last byte is in is it converted. A token cut by a read is scanned again after the next one; a token larger
    /// than <see cref="BodyWindow.LargeValue"/> waits until the data after it has at least doubled, so rescans stay geometric.
    /// Whether a body is cut off or malformed is decided by where the tokenizer stops, never by an exception's text.
    /// </para>
    /// </summary>
    internal sealed class JsonStreamReader<T>
    {
        const int InitialBuffer = 64 * 1024;
        const int MaximumElement = 512 * 1024 * 1024;

        readonly BodyWindow window;
        readonly JsonElementReader<T> convert;
        JsonReaderState state = new JsonReaderState(Options);
        Phase phase = Phase.Start;

        // The value being scanned: bytes from start already tokenized, the tokenizer's state there, the value's depth.
        bool scanning;
        int scanned;
        JsonReaderState scanState;
        int valueDepth;

        static JsonReaderOptions Options => new JsonReaderOptions { MaxDepth = 256 };

        enum Phase
        {
            Start,
            InArray,
            AfterValue,
            Done,
        }

        public JsonStreamReader(Stream stream, JsonElementReader<T> convert)
        {
            window = new BodyWindow(stream, InitialBuffer, MaximumElement, "A single JSON value is larger than " + (MaximumElement / (1024 * 1024)) + " MB.");
            this.convert = convert;
        }

        /// <summary>Bytes of the body read so far.</summary>
        public long BytesRead => window.BytesRead;

        /// <summary>Bytes handed to the tokenizer so far (scans plus conversions): about twice the body, never its square.</summary>
        public long BytesTokenized { get; private set; }

        /// <summary>How many values have been handed out.</summary>
        public long Count { get; private set; }

        /// <summary>True when the body was empty (no JSON at all).</summary>
        public bool WasEmpty { get; private set; }

        /// <summary>True when the top-level value was an array.</summary>
        public bool IsArray { get; private set; }

        /// <summary>Gets the next value; false at the end of the body, after checking nothing but whitespace follows.</summary>
        public bool TryRead(out T value)
        {
            value = default;
            while (true)
            {
                switch (phase)
                {
                    case Phase.Done:
                        return false;
                    case Phase.AfterValue:
                        window.VerifyTrailing();
                        phase = Phase.Done;
                        return false;
                }
                if (!window.SkipByteOrderMark() || (window.End == window.Start && !window.EndOfStream))
                {
                    Fill();
                    continue;
                }
                if (window.EndOfStream && phase == Phase.Start && Count == 0 && window.IsBlank())
                {
                    WasEmpty = true;
                    phase = Phase.Done;
                    return false;
                }
                if (Step(out value))
                {
                    Count++;
                    return true;
                }
            }
        }

        /// <summary>Scans on from where the last scan stopped; true when a whole value was converted.</summary>
        [MethodImpl(HotPath.Optimized)]
        bool Step(out T value)
        {
            value = default;
            if (!scanning)
            {
                scanning = true;
                scanned = 0;
                scanState = state;
                valueDepth = -1;
            }
            byte[] buffer = window.Buffer;
            int start = window.Start;
            int end = window.End;
            int from = start + scanned;
            BytesTokenized += end - from;
            var probe = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, from, end - from), false, scanState);
            int valueEnd = -1;
            bool endsWithBody = false;
            try
            {
                while (valueEnd < 0 && probe.Read())
                {
                    JsonTokenType token = probe.TokenType;
                    if (valueDepth < 0)
                    {
                        if (phase == Phase.Start && token == JsonTokenType.StartArray)
                        {
                            IsArray = true;
                            phase = Phase.InArray;
                            Commit(from + (int)probe.BytesConsumed, probe.CurrentState);
                            return false;
                        }
                        if (phase == Phase.InArray && token == JsonTokenType.EndArray)
                        {
                            phase = Phase.AfterValue;
                            Commit(from + (int)probe.BytesConsumed, probe.CurrentState);
                            return false;
                        }
                        valueDepth = probe.CurrentDepth;
                        if (token != JsonTokenType.StartObject && token != JsonTokenType.StartArray) valueEnd = from + (int)probe.BytesConsumed;
                    }
                    else if ((token == JsonTokenType.EndObject || token == JsonTokenType.EndArray) && probe.CurrentDepth == valueDepth)
                    {
                        valueEnd = from + (int)probe.BytesConsumed;
                    }
                }
            }
            catch (JsonException ex)
            {
                // The tokenizer only throws on bytes it has: the JSON itself is wrong here, whatever follows.
                throw new JsonInvalidException(window.PositionOf(from) + probe.BytesConsumed, ex);
            }

            if (valueEnd < 0)
            {
                scanned += (int)probe.BytesConsumed;
                scanState = probe.CurrentState;
                if (!window.EndOfStream)
                {
                    Fill();
                    return false;
                }
                if (phase != Phase.Start)
                {
                    throw new JsonIncompleteException(BytesRead, Count);
                }
                // A top-level number (or a cut-off value) ends with the body: only the final block can tell which.
                valueEnd = end;
                endsWithBody = true;
            }

            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), window.EndOfStream, state);
            BytesTokenized += valueEnd - start;
            try
            {
                if (!reader.Read()) throw new JsonIncompleteException(BytesRead, Count);
                value = convert(ref reader);
            }
            catch (JsonException) when (endsWithBody)
            {
                // The scan found every byte valid so far, so the final block failing means the value was cut off.
                throw new JsonIncompleteException(BytesRead, Count);
            }
            catch (JsonException ex)
            {
                throw new JsonInvalidException(window.PositionOf(start) + reader.BytesConsumed, ex);
            }
            catch (InvalidOperationException ex)
            {
                // Utf8JsonReader reports invalid UTF-8 inside a string while transcoding it.
                throw new JsonInvalidException(window.PositionOf(start) + reader.BytesConsumed, ex);
            }
            Commit(start + (int)reader.BytesConsumed, reader.CurrentState);
            if (phase == Phase.Start) phase = Phase.AfterValue;
            return true;
        }

        void Commit(int position, JsonReaderState after)
        {
            window.Start = position;
            state = after;
            scanning = false;
        }

        /// <summary>Reads more of the body for the value being scanned, whose unscanned bytes are the ones to read again.</summary>
        void Fill()
        {
            int unscanned = window.End - window.Start - (scanning ? scanned : 0);
            window.FillFor(unscanned);
        }
    }

    /// <summary>The body ended before the JSON did: the data is incomplete.</summary>
    internal sealed class JsonIncompleteException : Exception
    {
        public JsonIncompleteException(long bytes, long values)
            : base("The answer ended in the middle of the JSON after " + bytes + " bytes and " + values + " complete values: the data is incomplete.")
        {
            Bytes = bytes;
            Values = values;
        }

        public long Bytes { get; }

        public long Values { get; }
    }

    /// <summary>The body is not valid JSON (or not valid UTF-8).</summary>
    internal sealed class JsonInvalidException : Exception
    {
        public JsonInvalidException(long position, string reason, Exception inner)
            : base("The answer is not valid JSON near byte " + position + ": " + reason, inner)
        {
            Position = position;
        }

        /// <summary>
        /// Utf8JsonReader's error at <paramref name="position"/> in the whole body. The reader ends its message with
        /// its own line and byte, counted from where that reader began (a buffer, a row), which would only contradict
        /// the position given here, so that part is left out.
        /// </summary>
        public JsonInvalidException(long position, Exception readerError)
            : this(position, ReaderPlace.Replace(readerError.Message, "."), readerError)
        {
        }

        static readonly Regex ReaderPlace = new Regex(@"\s*\.?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", RegexOptions.CultureInvariant);

        public long Position { get; }
    }
}
