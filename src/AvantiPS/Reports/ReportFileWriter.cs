using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AvantiPS.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>The file formats of Export-AvantiReport.</summary>
    public enum ReportFileFormat
    {
        /// <summary>Comma-separated values (RFC 4180): a header line with every column, then one line per row.</summary>
        Csv,

        /// <summary>One JSON object per line, every column in report order, null where a row has no value.</summary>
        JsonLines,

        /// <summary>One JSON array of row objects, every column in report order, null where a row has no value.</summary>
        Json,
    }

    /// <summary>
    /// Writes report rows to a file straight from the answer's bytes, without making objects: every column of the
    /// report in report order, each value as the exact text Avanti sent (dates, numbers, employee numbers with their
    /// zeros), CSV fields quoted only where RFC 4180 needs it. Rows reach the file in whole rows only.
    /// </summary>
    internal sealed class ReportFileWriter : IReportRowSink, IPlainRowSink
    {
        const byte None = 0;
        const byte Raw = 1;
        const byte Text = 2;
        const byte Decoded = 3;
        static readonly byte[] Null = Encoding.ASCII.GetBytes("null");
        static readonly byte[] NewLine = { (byte)'\r', (byte)'\n' };

        readonly Stream output;
        readonly ReportColumns columns;
        readonly ReportFileFormat format;
        readonly byte delimiter;
        readonly byte[][] names;
        readonly int[] starts;
        readonly int[] lengths;
        readonly byte[] kinds;
        byte[] scratch = new byte[4096];
        int scratchLength;
        byte[] pending = new byte[256 * 1024];
        int pendingLength;

        public ReportFileWriter(Stream output, ReportColumns columns, ReportFileFormat format, char delimiter, bool byteOrderMark)
        {
            this.output = output;
            this.columns = columns;
            this.format = format;
            this.delimiter = (byte)delimiter;
            int count = columns.Count;
            starts = new int[count];
            lengths = new int[count];
            kinds = new byte[count];
            names = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                names[i] = format == ReportFileFormat.Csv
                    ? columns.Utf8(i)
                    : Encoding.UTF8.GetBytes("\"" + Encoding.UTF8.GetString(JsonEncodedText.Encode(columns[i]).EncodedUtf8Bytes.ToArray()) + "\":");
            }
            if (byteOrderMark) Append(new byte[] { 0xEF, 0xBB, 0xBF });
            if (format == ReportFileFormat.Csv && count > 0)
            {
                for (int i = 0; i < count; i++)
                {
                    if (i > 0) Append(this.delimiter);
                    AppendField(names[i], 0, names[i].Length);
                }
                Append(NewLine);
            }
            else if (format == ReportFileFormat.Json)
            {
                Append((byte)'[');
            }
        }

        /// <summary>Bytes written to the output so far.</summary>
        public long Bytes { get; private set; }

        long rows;

        /// <summary>Writes the row at the reader, read with Utf8JsonReader (<see cref="ReaderRows"/>); false, having written nothing, when the data ran out first.</summary>
        [MethodImpl(HotPath.Optimized)]
        public bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset)
        {
            Array.Clear(kinds, 0, columns.Count);
            scratchLength = 0;
            var visitor = new ReaderFields(this);
            if (!ReaderRows.Walk(ref visitor, columns, ref reader, offset)) return false;
            WriteRow(buffer);
            return true;
        }

        /// <summary>Each value kept as the exact text sent (a CSV field unescaped); null kept as no value.</summary>
        readonly struct ReaderFields : IReaderRowVisitor
        {
            readonly ReportFileWriter writer;

            public ReaderFields(ReportFileWriter writer)
            {
                this.writer = writer;
            }

            public void Value(int column, ref Utf8JsonReader reader, int start)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        long first = reader.TokenStartIndex;
                        reader.TrySkip();
                        writer.Keep(column, Raw, start, (int)(reader.BytesConsumed - first));
                        break;
                    case JsonTokenType.String when writer.format != ReportFileFormat.Csv:
                        writer.Keep(column, Raw, start, reader.ValueSpan.Length + 2);
                        break;
                    case JsonTokenType.String when reader.ValueSpan.IndexOf((byte)'\\') >= 0:
                        writer.Keep(column, Decoded, writer.Decode(reader.GetString()), 0);
                        break;
                    case JsonTokenType.String:
                        writer.Keep(column, Text, start + 1, reader.ValueSpan.Length);
                        break;
                    case JsonTokenType.Null:
                        break;
                    default:
                        writer.Keep(column, Raw, start, reader.ValueSpan.Length);
                        break;
                }
            }
        }

        /// <summary>
        /// Writes a plain row (<see cref="PlainRows"/>) straight from the bytes, as <see cref="TryReadRow"/> would write
        /// it: the index after the row; <see cref="PlainJson.Short"/> or <see cref="PlainJson.Declined"/>, having
        /// written nothing.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public int TryReadPlainRow(byte[] bytes, int start, int end)
        {
            Array.Clear(kinds, 0, columns.Count);
            scratchLength = 0;
            var visitor = new PlainFields(this);
            int after = PlainRows.Walk(ref visitor, columns, bytes, start, end);
            if (after >= 0) WriteRow(bytes);
            return after;
        }

        /// <summary>Each plain value kept as the exact text sent; null kept as no value.</summary>
        readonly struct PlainFields : IPlainRowVisitor
        {
            readonly ReportFileWriter writer;

            public PlainFields(ReportFileWriter writer)
            {
                this.writer = writer;
            }

            public bool String(int column, byte[] bytes, int start, int length, bool ascii, bool escaped)
            {
                // A CSV field is the string's text; the JSON formats copy the string as sent, quotes and all.
                if (writer.format != ReportFileFormat.Csv) writer.Keep(column, Raw, start - 1, length + 2);
                else if (escaped) return writer.KeepUnescaped(column, bytes, start, length);
                else writer.Keep(column, Text, start, length);
                return true;
            }

            public bool Number(int column, byte[] bytes, int start, int length, long mantissa, int scale, bool negative)
            {
                writer.Keep(column, Raw, start, length);
                return true;
            }

            public bool Literal(int column, byte[] bytes, int start, int length, JsonLiteral literal)
            {
                if (literal != JsonLiteral.Null) writer.Keep(column, Raw, start, length);
                return true;
            }
        }

        void Keep(int column, byte kind, int start, int length)
        {
            if (column < 0) return;
            kinds[column] = kind;
            starts[column] = start;
            lengths[column] = kind == Decoded ? scratchLength - start : length;
        }

        /// <summary>
        /// Keeps a string's text with its escapes resolved, in the row's scratch space; false for text Utf8JsonReader
        /// would not decode (half a surrogate pair, bytes that are not UTF-8), which is then left to it.
        /// </summary>
        bool KeepUnescaped(int column, byte[] bytes, int start, int length)
        {
            if (column < 0) return true;
            int at = scratchLength;
            int written = PlainJson.Unescape(bytes, start, length, ref scratch, at);
            if (written < 0 || !PlainJson.IsUtf8(scratch, at, written)) return false;
            scratchLength += written;
            Keep(column, Decoded, at, 0);
            return true;
        }

        /// <summary>Unescapes a string into the row's scratch space; returns where it starts there.</summary>
        int Decode(string value)
        {
            int most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (scratchLength + most > scratch.Length) Array.Resize(ref scratch, Math.Max(scratch.Length * 2, scratchLength + most));
            int start = scratchLength;
            scratchLength += Encoding.UTF8.GetBytes(value, 0, value.Length, scratch, start);
            return start;
        }

        [MethodImpl(HotPath.Optimized)]
        void WriteRow(byte[] buffer)
        {
            int count = columns.Count;
            if (format == ReportFileFormat.Csv)
            {
                for (int i = 0; i < count; i++)
                {
                    if (i > 0) Append(delimiter);
                    switch (kinds[i])
                    {
                        case Raw:
                        case Text:
                            AppendField(buffer, starts[i], lengths[i]);
                            break;
                        case Decoded:
                            AppendField(scratch, starts[i], lengths[i]);
                            break;
                    }
                }
                Append(NewLine);
            }
            else
            {
                if (format == ReportFileFormat.Json) Append(rows == 0 ? (byte)'\n' : (byte)',');
                if (format == ReportFileFormat.Json && rows > 0) Append((byte)'\n');
                Append((byte)'{');
                for (int i = 0; i < count; i++)
                {
                    if (i > 0) Append((byte)',');
                    Append(names[i]);
                    if (kinds[i] == None) Append(Null);
                    else Append(buffer, starts[i], lengths[i]);
                }
                Append((byte)'}');
                if (format == ReportFileFormat.JsonLines) Append((byte)'\n');
            }
            rows++;
            if (pendingLength >= pending.Length / 2) Flush();
        }

        /// <summary>Ends the file (the JSON array's bracket) and writes out what is pending.</summary>
        public void Finish()
        {
            if (format == ReportFileFormat.Json)
            {
                if (rows > 0) Append((byte)'\n');
                Append((byte)']');
                Append((byte)'\n');
            }
            Flush();
            output.Flush();
        }

        /// <summary>A CSV field, in quotes (inner quotes doubled) when it holds the delimiter, a quote or a line break.</summary>
        [MethodImpl(HotPath.Optimized)]
        void AppendField(byte[] data, int start, int length)
        {
            int end = start + length;
            bool quote = false;
            for (int i = start; i < end; i++)
            {
                byte b = data[i];
                if (b == delimiter || b == (byte)'"' || b == (byte)'\r' || b == (byte)'\n')
                {
                    quote = true;
                    break;
                }
            }
            if (!quote)
            {
                Append(data, start, length);
                return;
            }
            Append((byte)'"');
            int run = start;
            for (int i = start; i < end; i++)
            {
                if (data[i] != (byte)'"') continue;
                Append(data, run, i - run + 1);
                Append((byte)'"');
                run = i + 1;
            }
            Append(data, run, end - run);
            Append((byte)'"');
        }

        void Append(byte value)
        {
            if (pendingLength == pending.Length) Grow(1);
            pending[pendingLength++] = value;
        }

        void Append(byte[] data) => Append(data, 0, data.Length);

        void Append(byte[] data, int start, int length)
        {
            if (pendingLength + length > pending.Length) Grow(length);
            Buffer.BlockCopy(data, start, pending, pendingLength, length);
            pendingLength += length;
        }

        void Grow(int more) => Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + more));

        void Flush()
        {
            output.Write(pending, 0, pendingLength);
            Bytes += pendingLength;
            pendingLength = 0;
        }
    }
}
