using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using AvantiPS.Json;

namespace AvantiPS.Reports
{
    /// <summary>
    /// The column set of a report, in report order. Avanti leaves a column out of a row when the row has no data for
    /// it, so the set is the union of every row's names; a name first seen in a later row is placed just before the
    /// next column that follows it in that row, which keeps the Report Designer's order.
    /// </summary>
    internal sealed class ReportColumns
    {
        readonly List<string> names = new List<string>();
        readonly Dictionary<string, int> index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        byte[][] utf8 = new byte[0][];
        bool[] plain = new bool[0];

        public ReportColumns()
        {
        }

        /// <summary>A fixed column set (Get-AvantiReport -Property).</summary>
        public ReportColumns(IEnumerable<string> fixedNames)
        {
            foreach (string name in fixedNames)
            {
                if (!index.ContainsKey(name))
                {
                    index[name] = names.Count;
                    names.Add(name);
                }
            }
            Refresh();
        }

        public int Count => names.Count;

        public string this[int i] => names[i];

        public IReadOnlyList<string> Names => names;

        /// <summary>The UTF-8 bytes of column i, for comparing with JSON property names without allocating strings.</summary>
        public byte[] Utf8(int i) => utf8[i];

        /// <summary>True when column i's name has no quote, backslash or control character: JSON writes it unescaped.</summary>
        public bool Plain(int i) => plain[i];

        public int IndexOf(string name) => index.TryGetValue(name, out int i) ? i : -1;

        /// <summary>
        /// The column of the property name at the reader, or -1: compared as bytes with the expected column first
        /// (rows follow report order), looked up by name only when that misses.
        /// </summary>
        public int Match(ref Utf8JsonReader reader, int expected) =>
            expected < names.Count && reader.ValueTextEquals(utf8[expected]) ? expected : IndexOf(reader.GetString());

        /// <summary>What <see cref="Match(byte[], int, int, int)"/> gives for a name whose bytes are not UTF-8.</summary>
        public const int Undecodable = -2;

        /// <summary>
        /// The column of a property name written without escapes at <paramref name="start"/>, found as
        /// <see cref="Match(ref Utf8JsonReader, int)"/> finds it; -1 for none, <see cref="Undecodable"/> for bytes that
        /// are not UTF-8.
        /// </summary>
        public int Match(byte[] bytes, int start, int length, int expected)
        {
            if (expected < names.Count && new ReadOnlySpan<byte>(bytes, start, length).SequenceEqual(utf8[expected]))
            {
                return expected;
            }
            return PlainJson.TryDecode(bytes, start, length, out string name) ? IndexOf(name) : Undecodable;
        }

        /// <summary>Merges the property names of one row, in the order they appeared in it.</summary>
        public void Merge(List<string> row)
        {
            bool changed = false;
            for (int i = 0; i < row.Count; i++)
            {
                string name = row[i];
                if (index.ContainsKey(name)) continue;
                int insertAt = names.Count;
                for (int j = i + 1; j < row.Count; j++)
                {
                    if (index.TryGetValue(row[j], out int next))
                    {
                        insertAt = next;
                        break;
                    }
                }
                names.Insert(insertAt, name);
                for (int k = insertAt; k < names.Count; k++) index[names[k]] = k;
                changed = true;
            }
            if (changed) Refresh();
        }

        void Refresh()
        {
            utf8 = new byte[names.Count][];
            plain = new bool[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                utf8[i] = Encoding.UTF8.GetBytes(names[i]);
                plain[i] = Array.TrueForAll(utf8[i], b => b >= 0x20 && b != (byte)'"' && b != (byte)'\\');
            }
        }
    }
}
