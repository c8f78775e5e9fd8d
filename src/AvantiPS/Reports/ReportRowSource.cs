using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AvantiPS.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Takes one report row at a time: the reader stands on the row's StartObject and the sink reads the row to its
    /// EndObject. It returns false, having kept nothing, when the data ran out before the row's end; the row is then
    /// read again once more data is in. Rows are read optimistically, so each byte is tokenized once; only a row cut
    /// by a buffer boundary is read twice.
    /// </summary>
    internal interface IReportRowSink
    {
        bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset);
    }

    /// <summary>
    /// A sink that can also read a plain row (<see cref="PlainJson"/>) straight from its bytes: returns the index after
    /// the row's closing brace, <see cref="PlainJson.Short"/> when the bytes end inside the row, or
    /// <see cref="PlainJson.Declined"/> to have it read with Utf8JsonReader instead.
    /// </summary>
    internal interface IPlainRowSink
    {
        int TryReadPlainRow(byte[] bytes, int start, int end);
    }

    /// <summary>
    /// The read loop of a report body (a JSON array of row objects), from a stream or from bytes in memory: finds
    /// each row and hands it to a <see cref="IReportRowSink"/>. Errors are <see cref="JsonIncompleteException"/> (the
    /// body ended early) and <see cref="JsonInvalidException"/> (not JSON, or not an array of objects), decided on the
    /// reader's position, never on a message's text.
    /// </summary>
    internal sealed class ReportRowSource
    {
        const int InitialBuffer = 1024 * 1024;
        const int MaximumRow = 512 * 1024 * 1024;

        readonly BodyWindow window;
        readonly IReportRowSink sink;
        readonly IPlainRowSink plain;
        JsonReaderState state = new JsonReaderState(Options);
        Phase phase = Phase.Start;
        long declined;
        long declinedAt = -1;

        static readonly JsonReaderOptions Options = new JsonReaderOptions { MaxDepth = 256 };

        // The reader's state after a row: inside the array, after an object. A row read plainly leaves the reader
        // here, so that whatever follows it (a comma, the array's end, bad JSON) is read as if the reader had read the row.
        static readonly JsonReaderState AfterRow = StateAfterRow();

        enum Phase
        {
            Start,
            InArray,
            Done,
        }

        /// <summary>Reads the body from a stream (the network, or a spool on disk).</summary>
        public ReportRowSource(Stream stream, IReportRowSink sink)
        {
            window = new BodyWindow(stream, InitialBuffer, MaximumRow, "a single report row is larger than " + (MaximumRow / (1024 * 1024)) + " MB.");
            this.sink = sink;
            plain = sink as IPlainRowSink;
        }

        /// <summary>Reads a body that is all in memory, in place.</summary>
        public ReportRowSource(ArraySegment<byte> body, IReportRowSink sink)
        {
            window = new BodyWindow(body);
            this.sink = sink;
            plain = sink as IPlainRowSink;
        }

        /// <summary>Bytes of the body read so far.</summary>
        public long BytesRead => window.BytesRead;

        /// <summary>Rows handed to the sink so far.</summary>
        public long Rows { get; private set; }

        /// <summary>True when the body was empty (no JSON at all).</summary>
        public bool WasEmpty { get; private set; }

        /// <summary>Hands the next row to the sink; false after the array's end (only whitespace may follow it).</summary>
        [MethodImpl(HotPath.Optimized)]
        public bool MoveNext()
        {
            while (phase != Phase.Done)
            {
                if (!window.SkipByteOrderMark())
                {
                    window.Fill();
                    continue;
                }
                if (window.EndOfStream && phase == Phase.Start && window.IsBlank())
                {
                    WasEmpty = true;
                    phase = Phase.Done;
                    return false;
                }
                if (phase == Phase.InArray && plain != null)
                {
                    int plainRow = TryPlainRow();
                    if (plainRow >= 0)
                    {
                        Rows++;
                        return true;
                    }
                    if (plainRow == PlainJson.Short && !window.EndOfStream)
                    {
                        // The row goes on past the bytes in hand: read on, and try it again whole.
                        window.FillFor(window.End - window.Start);
                        continue;
                    }
                }
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(window.Buffer, window.Start, window.End - window.Start), window.EndOfStream, state);
                Advance advance;
                try
                {
                    advance = Step(ref reader);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
                {
                    // InvalidOperationException: Utf8JsonReader reports invalid UTF-8 inside a string while transcoding it.
                    throw Failure(ex, reader.BytesConsumed);
                }
                switch (advance)
                {
                    case Advance.Row:
                        Rows++;
                        return true;
                    case Advance.NeedData when window.EndOfStream:
                        throw new JsonIncompleteException(BytesRead, Rows);
                    case Advance.NeedData:
                        window.FillFor(window.End - window.Start);
                        break;
                }
            }
            return false;
        }

        enum Advance
        {
            NeedData,
            Token,
            Row,
        }

        /// <summary>One token or one row.</summary>
        [MethodImpl(HotPath.Optimized)]
        Advance Step(ref Utf8JsonReader reader)
        {
            if (!reader.Read()) return Advance.NeedData;
            switch (phase)
            {
                case Phase.Start:
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new JsonInvalidException(window.PositionOf(window.Start), "a JSON array of rows was expected", null);
                    }
                    phase = Phase.InArray;
                    Commit(ref reader);
                    return Advance.Token;
                case Phase.InArray when reader.TokenType == JsonTokenType.EndArray:
                    Commit(ref reader);
                    window.VerifyTrailing();
                    phase = Phase.Done;
                    return Advance.Token;
                case Phase.InArray when reader.TokenType == JsonTokenType.StartObject:
                    if (!sink.TryReadRow(ref reader, window.Buffer, window.Start)) return Advance.NeedData;
                    Commit(ref reader);
                    return Advance.Row;
                default:
                    throw new JsonInvalidException(window.PositionOf(window.Start) + reader.TokenStartIndex, "a report row is not a JSON object", null);
            }
        }

        /// <summary>
        /// The next row read plainly by the sink (<see cref="IPlainRowSink"/>), with the comma before it: the index
        /// after it, <see cref="PlainJson.Short"/> when the bytes in hand end first, or <see cref="PlainJson.Declined"/>
        /// when the sink declined the row or what follows is not a row; in both cases nothing was used. A report whose
        /// rows are mostly declined (say, every row has a nested value) stops being tried, so its rows are not read twice.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        int TryPlainRow()
        {
            if (declined > 64 && declined * 2 > Rows) return PlainJson.Declined;
            byte[] bytes = window.Buffer;
            int end = window.End;
            int i = PlainJson.SkipBlank(bytes, window.Start, end);
            if (Rows > 0)
            {
                // After a row, a comma comes first.
                if (i >= end) return PlainJson.Short;
                if (bytes[i] != (byte)',') return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, i + 1, end);
            }
            if (i >= end) return PlainJson.Short;
            if (bytes[i] != (byte)'{') return PlainJson.Declined;
            // A declined row that the reader is still reading (more bytes came in) is not tried again.
            long at = window.PositionOf(i);
            if (at == declinedAt) return PlainJson.Declined;
            int after = plain.TryReadPlainRow(bytes, i, end);
            if (after == PlainJson.Declined)
            {
                declined++;
                declinedAt = at;
            }
            else if (after >= 0)
            {
                window.Start = after;
                state = AfterRow;
            }
            return after;
        }

        static JsonReaderState StateAfterRow()
        {
            var reader = new Utf8JsonReader(new byte[] { (byte)'[', (byte)'{', (byte)'}' }, false, new JsonReaderState(Options));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
            }
            return reader.CurrentState;
        }

        /// <summary>
        /// At the end of the body, a reader that fails may have met bad JSON or merely the end of good JSON: the same
        /// bytes read as not final tell which (they then only ask for more).
        /// </summary>
        Exception Failure(Exception ex, long consumed)
        {
            if (window.EndOfStream && IsPrefixOfValidJson())
            {
                return new JsonIncompleteException(BytesRead, Rows);
            }
            return new JsonInvalidException(window.PositionOf(window.Start) + consumed, ex);
        }

        bool IsPrefixOfValidJson()
        {
            var probe = new Utf8JsonReader(new ReadOnlySpan<byte>(window.Buffer, window.Start, window.End - window.Start), false, state);
            try
            {
                while (probe.Read())
                {
                }
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        void Commit(ref Utf8JsonReader reader)
        {
            window.Start += (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }
    }
}
