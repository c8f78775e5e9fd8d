using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Reads a report body chunk by chunk as it is downloaded and collects its column set and row count, without
    /// building any objects and without tokenizing: it follows only the JSON structure (brackets, commas, strings),
    /// jumping through each string to its closing quote, and looks at the names of row properties. It does not
    /// validate the JSON; the row pass does, and says where. A body that does not start as JSON stops the scan.
    /// </summary>
    internal sealed class ColumnScanner
    {
        readonly ReportColumns columns;
        readonly List<string> row = new List<string>();
        byte[] name = new byte[256];
        int nameLength;
        int depth;
        bool inString;
        bool inName;
        bool escaped;
        bool expectName;
        bool started;
        int expected;
        bool rowHasNewColumn;

        public ColumnScanner(ReportColumns columns)
        {
            this.columns = columns;
        }

        public long Rows { get; private set; }

        /// <summary>True once the scan met a body that is not JSON (it then ignores the rest).</summary>
        public bool Failed { get; private set; }

        /// <summary>True once the top-level value (the array of rows) has ended.</summary>
        public bool Ended { get; private set; }

        /// <summary>
        /// True when the body so far stops before its top-level value ends: an answer cut off, as opposed to an
        /// empty one or one that is not JSON. Ask before the final scan.
        /// </summary>
        public bool Truncated => started && !Failed && !Ended;

        static readonly byte[] Utf8Bom = { 0xEF, 0xBB, 0xBF };
        int bom;

        [MethodImpl(HotPath.Optimized)]
        public void Scan(byte[] chunk, int count, bool final)
        {
            if (Failed || Ended) return;
            int i = 0;
            while (i < count)
            {
                if (inString)
                {
                    i = InString(chunk, i, count);
                    continue;
                }
                byte b = chunk[i++];
                switch (b)
                {
                    case (byte)'"':
                        if (depth == 2 && expectName)
                        {
                            expectName = false;
                            int afterName = KnownName(chunk, i, count);
                            if (afterName >= 0)
                            {
                                i = afterName;
                                break;
                            }
                            inString = true;
                            inName = true;
                            nameLength = 0;
                            break;
                        }
                        // A value's string: nothing of it is kept, so when it has no escape and ends in this chunk, it is
                        // passed over here.
                        int stop = QuoteOrBackslash(chunk, i, count);
                        if (stop < count && chunk[stop] == (byte)'"')
                        {
                            i = stop + 1;
                            break;
                        }
                        inString = true;
                        break;
                    case (byte)'{':
                    case (byte)'[':
                        started = true;
                        depth++;
                        if (depth == 2 && b == (byte)'{')
                        {
                            row.Clear();
                            expected = 0;
                            rowHasNewColumn = false;
                            expectName = true;
                        }
                        break;
                    case (byte)'}':
                    case (byte)']':
                        if (depth == 2 && b == (byte)'}')
                        {
                            // Most rows hold known columns in report order; only a row with a new name changes the set.
                            if (rowHasNewColumn) columns.Merge(row);
                            Rows++;
                        }
                        depth--;
                        if (depth <= 0)
                        {
                            Ended = true;
                            return;
                        }
                        break;
                    case (byte)',':
                        if (depth == 2) expectName = true;
                        break;
                    case (byte)' ':
                    case (byte)'\t':
                    case (byte)'\r':
                    case (byte)'\n':
                        break;
                    default:
                        if (!started && bom < 3 && b == Utf8Bom[bom])
                        {
                            // A UTF-8 byte-order mark before the JSON is not part of it (the row pass skips it too).
                            bom++;
                            break;
                        }
                        if (!started)
                        {
                            // Not JSON at all (an HTML page, a bare value): the row pass reports it.
                            Failed = true;
                            return;
                        }
                        break;
                }
            }
        }

        /// <summary>
        /// Most rows name the report's columns in order: when the name from <paramref name="i"/> is, as it stands in
        /// the chunk, the expected column (or one of the next three) followed by its closing quote, it is taken
        /// without scanning it: the index after the quote. -1 otherwise.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        int KnownName(byte[] chunk, int i, int count)
        {
            int columnCount = columns.Count;
            for (int c = expected; c < columnCount && c <= expected + 3; c++)
            {
                byte[] name = columns.Utf8(c);
                int end = i + name.Length;
                // A column whose text holds a quote or a backslash is written escaped, so its bytes never stand as they are.
                if (end < count && chunk[end] == (byte)'"' && columns.Plain(c) && new ReadOnlySpan<byte>(chunk, i, name.Length).SequenceEqual(name))
                {
                    row.Add(columns[c]);
                    expected = c + 1;
                    return end + 1;
                }
            }
            return -1;
        }

        /// <summary>
        /// The first quote or backslash from <paramref name="i"/>, or <paramref name="count"/>. Report strings are
        /// short, so a plain loop finds it sooner than a vectorised search would start.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        static int QuoteOrBackslash(byte[] chunk, int i, int count)
        {
            ReadOnlySpan<byte> rest = new ReadOnlySpan<byte>(chunk, i, count - i);
            for (int k = 0; k < rest.Length; k++)
            {
                byte b = rest[k];
                if (b == (byte)'"' || b == (byte)'\\') return i + k;
            }
            return count;
        }

        /// <summary>Moves through a string to its closing quote, keeping a row property's name; returns where it stopped.</summary>
        [MethodImpl(HotPath.Optimized)]
        int InString(byte[] chunk, int i, int count)
        {
            if (escaped)
            {
                Keep(chunk, i, 1);
                escaped = false;
                return i + 1;
            }
            int at = QuoteOrBackslash(chunk, i, count);
            if (at == count)
            {
                Keep(chunk, i, count - i);
                return count;
            }
            if (chunk[at] == (byte)'\\')
            {
                Keep(chunk, i, at - i + 1);
                escaped = true;
                return at + 1;
            }
            inString = false;
            if (inName)
            {
                if (nameLength == 0)
                {
                    // The whole name lies in this chunk: matched where it is, without a copy.
                    row.Add(NameOf(new ReadOnlySpan<byte>(chunk, i, at - i)));
                }
                else
                {
                    Keep(chunk, i, at - i);
                    row.Add(NameOf(new ReadOnlySpan<byte>(name, 0, nameLength)));
                }
                inName = false;
            }
            return at + 1;
        }

        void Keep(byte[] chunk, int start, int length)
        {
            if (!inName) return;
            if (nameLength + length > name.Length) Array.Resize(ref name, Math.Max(name.Length * 2, nameLength + length));
            Buffer.BlockCopy(chunk, start, name, nameLength, length);
            nameLength += length;
        }

        /// <summary>
        /// The name as a string, for a name <see cref="KnownName"/> did not take (a new column, one out of order,
        /// one cut by the chunk's end or written with escapes): decoded, and a known column's own string reused.
        /// </summary>
        string NameOf(ReadOnlySpan<byte> raw)
        {
            string text = Decode(raw);
            int known = columns.IndexOf(text);
            if (known < 0)
            {
                rowHasNewColumn = true;
                return text;
            }
            expected = known + 1;
            return columns[known];
        }

        /// <summary>The text of a JSON string's raw content, escapes resolved.</summary>
        static string Decode(ReadOnlySpan<byte> raw)
        {
            if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw.ToArray());
            byte[] quoted = new byte[raw.Length + 2];
            quoted[0] = (byte)'"';
            raw.CopyTo(new Span<byte>(quoted, 1, raw.Length));
            quoted[quoted.Length - 1] = (byte)'"';
            var reader = new Utf8JsonReader(quoted);
            try
            {
                reader.Read();
                return reader.GetString();
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // Not a valid string: the row pass reports it where it is.
                return Encoding.UTF8.GetString(raw.ToArray());
            }
        }
    }
}
