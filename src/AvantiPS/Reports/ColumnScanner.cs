using System;
using System.Collections.Generic;
using System.Text.Json;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Reads a report body chunk by chunk as it is downloaded and collects its column set and row count, without
    /// building any objects. A body that is not well-formed stops the scan; the row pass then reports where.
    /// </summary>
    internal sealed class ColumnScanner
    {
        readonly ReportColumns columns;
        readonly List<string> row = new List<string>();
        byte[] pending = new byte[64 * 1024];
        int pendingLength;
        JsonReaderState state;
        int expected;
        bool rowHasNewColumn;

        public ColumnScanner(ReportColumns columns)
        {
            this.columns = columns;
        }

        public long Rows { get; private set; }

        /// <summary>True once the scan hit malformed JSON (it then ignores the rest).</summary>
        public bool Failed { get; private set; }

        /// <summary>True once the top-level value (the array of rows) has ended.</summary>
        public bool Ended { get; private set; }

        /// <summary>
        /// True when the body so far is well-formed JSON that stops before its top-level value ends: an answer cut
        /// off, as opposed to an empty or malformed one. Ask before the final scan.
        /// </summary>
        public bool Truncated => !Failed && !Ended && started;

        bool started;

        public void Scan(byte[] chunk, int count, bool final)
        {
            if (Failed) return;
            if (pendingLength + count > pending.Length)
            {
                Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + count));
            }
            Buffer.BlockCopy(chunk, 0, pending, pendingLength, count);
            pendingLength += count;

            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(pending, 0, pendingLength), final, state);
            try
            {
                while (reader.Read())
                {
                    started = true;
                    if (reader.CurrentDepth == 0 && reader.TokenType != JsonTokenType.StartArray && reader.TokenType != JsonTokenType.StartObject)
                    {
                        Ended = true;
                    }
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                            row.Clear();
                            expected = 0;
                            rowHasNewColumn = false;
                            break;
                        case JsonTokenType.PropertyName when reader.CurrentDepth == 2:
                            row.Add(NameOf(ref reader));
                            break;
                        case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                            // Most rows hold known columns in report order; only a row with a new name changes the set.
                            if (rowHasNewColumn) columns.Merge(row);
                            Rows++;
                            break;
                    }
                }
            }
            catch (JsonException)
            {
                Failed = true;
                return;
            }
            catch (InvalidOperationException)
            {
                Failed = true;
                return;
            }
            int consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            Buffer.BlockCopy(pending, consumed, pending, 0, pendingLength - consumed);
            pendingLength -= consumed;
        }

        /// <summary>
        /// The name as a string: a known column is matched as bytes (first against the column after the previous
        /// one, as rows follow report order) and reuses the column's own string; only an unknown name is decoded.
        /// </summary>
        string NameOf(ref Utf8JsonReader reader)
        {
            int count = columns.Count;
            for (int i = expected; i < count; i++)
            {
                if (reader.ValueTextEquals(columns.Utf8(i)))
                {
                    expected = i + 1;
                    return columns[i];
                }
                if (i > expected + 2) break;
            }
            string name = reader.GetString();
            int known = columns.IndexOf(name);
            if (known < 0)
            {
                rowHasNewColumn = true;
                return name;
            }
            expected = known + 1;
            return columns[known];
        }
    }
}
