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

        public ColumnScanner(ReportColumns columns)
        {
            this.columns = columns;
        }

        public long Rows { get; private set; }

        /// <summary>True once the scan hit malformed JSON (it then ignores the rest).</summary>
        public bool Failed { get; private set; }

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
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                            row.Clear();
                            break;
                        case JsonTokenType.PropertyName when reader.CurrentDepth == 2:
                            row.Add(NameOf(ref reader));
                            break;
                        case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                            columns.Merge(row);
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

        /// <summary>The name as a string, reusing the column's own string when the bytes match the expected column.</summary>
        string NameOf(ref Utf8JsonReader reader)
        {
            int position = row.Count;
            if (position < columns.Count && reader.ValueTextEquals(columns.Utf8(position)))
            {
                return columns[position];
            }
            return reader.GetString();
        }
    }
}
