using System;
using System.IO;
using System.Text.Json;

namespace AvantiPS.Json
{
    /// <summary>Converts the JSON value at the reader's current token; the reader must end on the value's last token.</summary>
    internal delegate T JsonElementReader<T>(ref Utf8JsonReader reader);

    /// <summary>
    /// Reads a JSON body from a stream one top-level value at a time: each element of a top-level array is handed
    /// out as soon as its last byte has arrived, so the first object reaches the pipeline while the rest is still on
    /// the wire, and only one element is ever buffered. A body that is not an array gives one value.
    /// </summary>
    internal sealed class JsonStreamReader<T>
    {
        const int InitialBuffer = 64 * 1024;
        const int MaximumElement = 512 * 1024 * 1024;

        readonly Stream stream;
        readonly JsonElementReader<T> convert;
        byte[] buffer = new byte[InitialBuffer];
        int start;
        int end;
        bool endOfStream;
        long consumedBefore;
        JsonReaderState state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 256 });
        Phase phase = Phase.Start;

        enum Phase
        {
            Start,
            InArray,
            AfterValue,
            Done,
        }

        public JsonStreamReader(Stream stream, JsonElementReader<T> convert)
        {
            this.stream = stream;
            this.convert = convert;
        }

        /// <summary>Bytes of the body read so far.</summary>
        public long BytesRead => consumedBefore + end;

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
                        VerifyTrailing();
                        phase = Phase.Done;
                        return false;
                }
                if (end == start && !endOfStream)
                {
                    Fill();
                    continue;
                }
                if (endOfStream && phase == Phase.Start && Count == 0 && IsBlank())
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

        /// <summary>Advances by one token or one whole element; true when an element was produced.</summary>
        bool Step(out T value)
        {
            value = default;
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), endOfStream, state);
            try
            {
                if (!reader.Read())
                {
                    NeedMoreData();
                    return false;
                }
                if (phase == Phase.Start && reader.TokenType == JsonTokenType.StartArray)
                {
                    IsArray = true;
                    phase = Phase.InArray;
                    Commit(ref reader);
                    return false;
                }
                if (phase == Phase.InArray && reader.TokenType == JsonTokenType.EndArray)
                {
                    phase = Phase.AfterValue;
                    Commit(ref reader);
                    return false;
                }

                Utf8JsonReader probe = reader;
                if (!probe.TrySkip())
                {
                    NeedMoreData();
                    return false;
                }
                value = convert(ref reader);
                Commit(ref reader);
                if (phase == Phase.Start) phase = Phase.AfterValue;
                return true;
            }
            catch (JsonException ex)
            {
                if (endOfStream && IsEndOfInputError(ex))
                {
                    throw new JsonIncompleteException(BytesRead, Count);
                }
                throw new JsonInvalidException(consumedBefore + start + reader.BytesConsumed, ex.Message, ex);
            }
            catch (InvalidOperationException ex)
            {
                // Utf8JsonReader reports invalid UTF-8 inside a string while transcoding it.
                throw new JsonInvalidException(consumedBefore + start + reader.BytesConsumed, ex.Message, ex);
            }
        }

        void NeedMoreData()
        {
            if (!endOfStream)
            {
                Fill();
                return;
            }
            if (phase == Phase.Start && Count == 0 && IsBlank())
            {
                WasEmpty = true;
                phase = Phase.Done;
                return;
            }
            throw new JsonIncompleteException(BytesRead, Count);
        }

        void VerifyTrailing()
        {
            while (true)
            {
                for (int i = start; i < end; i++)
                {
                    byte b = buffer[i];
                    if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                    {
                        throw new JsonInvalidException(consumedBefore + i, "unexpected data after the end of the JSON value.", null);
                    }
                }
                start = end;
                if (endOfStream) return;
                Fill();
            }
        }

        bool IsBlank()
        {
            for (int i = start; i < end; i++)
            {
                byte b = buffer[i];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n') return false;
            }
            return true;
        }

        static bool IsEndOfInputError(JsonException ex) =>
            ex.Message.IndexOf("end of", StringComparison.OrdinalIgnoreCase) >= 0 || ex.Message.IndexOf("incomplete", StringComparison.OrdinalIgnoreCase) >= 0;

        void Commit(ref Utf8JsonReader reader)
        {
            start += (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        void Fill()
        {
            if (start > 0)
            {
                int remaining = end - start;
                Buffer.BlockCopy(buffer, start, buffer, 0, remaining);
                consumedBefore += start;
                start = 0;
                end = remaining;
            }
            if (end == buffer.Length)
            {
                if (buffer.Length >= MaximumElement)
                {
                    throw new JsonInvalidException(BytesRead, "A single JSON value is larger than " + (MaximumElement / (1024 * 1024)) + " MB.", null);
                }
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaximumElement));
            }
            int read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                endOfStream = true;
            }
            end += read;
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

        public long Position { get; }
    }
}
