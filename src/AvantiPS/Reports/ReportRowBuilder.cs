using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AvantiPS.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Builds one object per report row with every column of the report, in report order, $null where Avanti left
    /// the column out: an instance of the report's own row class (<see cref="ReportRowType"/>), or a PSCustomObject
    /// where no class can be made. Column names are matched as bytes, so a row costs its values only.
    /// </summary>
    internal sealed class ReportRowBuilder : IReportRowSink, IPlainRowSink
    {
        public const string TypeName = "AvantiPS.ReportRow";
        readonly ReportColumns columns;
        readonly string reportTypeName;
        readonly Func<object[], object> factory;
        readonly object[] values;
        readonly bool[] seen;
        readonly JsonValueConverter converter;
        string[] propertyNames;

        public ReportRowBuilder(ReportColumns columns, string reportId, JsonValueConverter converter = null)
        {
            this.columns = columns;
            this.converter = converter ?? JsonValueConverter.Default;
            reportTypeName = ReportRowType.NameFor(reportId);
            values = new object[columns.Count];
            seen = new bool[columns.Count];
            factory = ReportRowType.Factory(reportId, columns.Names);
        }

        /// <summary>The row last read.</summary>
        public object Current { get; private set; }

        /// <summary>The columns no row has had so far (with -Property: names the report does not have).</summary>
        public IEnumerable<string> UnseenColumns
        {
            get
            {
                for (int i = 0; i < seen.Length; i++)
                {
                    if (!seen[i]) yield return columns[i];
                }
            }
        }

        [MethodImpl(HotPath.Optimized)]
        public bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset)
        {
            int count = columns.Count;
            Array.Clear(values, 0, count);

            int expected = 0;
            while (true)
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.EndObject) break;
                int column = columns.Match(ref reader, expected);
                if (!reader.Read()) return false;
                if (column < 0 || reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray)
                {
                    // A nested value must be all in before it is read; a column not asked for (-Property) is skipped.
                    Utf8JsonReader probe = reader;
                    if (!probe.TrySkip()) return false;
                    if (column < 0)
                    {
                        reader = probe;
                        continue;
                    }
                }
                values[column] = ConvertValue(ref reader, column);
                seen[column] = true;
                expected = column + 1;
            }
            Current = Create();
            return true;
        }

        /// <summary>
        /// Reads the row whose opening brace is at <paramref name="start"/> straight from the bytes when it is plain
        /// JSON (<see cref="PlainJson"/>): the index after its closing brace, with <see cref="Current"/> set;
        /// <see cref="PlainJson.Short"/> when the bytes end inside the row; <see cref="PlainJson.Declined"/> for a row
        /// that <see cref="TryReadRow"/> must read (with the same values). Either way no row is made.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public int TryReadPlainRow(byte[] bytes, int start, int end)
        {
            int count = columns.Count;
            Array.Clear(values, 0, count);
            int i = PlainJson.SkipBlank(bytes, start + 1, end);
            if (i >= end) return PlainJson.Short;
            if (bytes[i] == (byte)'}')
            {
                Current = Create();
                return i + 1;
            }
            int expected = 0;
            while (true)
            {
                if (bytes[i] != (byte)'"') return PlainJson.Declined;
                int nameEnd = PlainJson.StringEnd(bytes, i + 1, end, out bool _);
                if (nameEnd < 0) return nameEnd;
                int column = MatchPlain(bytes, i + 1, nameEnd - i - 1, expected);
                if (column == PlainUndecodable) return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, nameEnd + 1, end);
                if (i >= end) return PlainJson.Short;
                if (bytes[i] != (byte)':') return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, i + 1, end);
                if (i >= end) return PlainJson.Short;

                object value;
                byte b = bytes[i];
                if (b == (byte)'"')
                {
                    int valueEnd = PlainJson.StringEnd(bytes, i + 1, end, out bool ascii);
                    if (valueEnd < 0) return valueEnd;
                    if (!converter.TryReadPlainString(bytes, i + 1, valueEnd - i - 1, ascii, out value)) return PlainJson.Declined;
                    i = valueEnd + 1;
                }
                else if (b == (byte)'t' || b == (byte)'f' || b == (byte)'n')
                {
                    i = PlainJson.Literal(bytes, i, end, out JsonLiteral literal);
                    if (i < 0) return i;
                    value = JsonValueConverter.LiteralValue(literal);
                }
                else
                {
                    i = PlainJson.Number(bytes, i, end, out long mantissa, out int scale, out bool negative);
                    if (i < 0) return i;
                    value = JsonValueConverter.PlainNumber(mantissa, scale, negative);
                }
                if (column >= 0)
                {
                    values[column] = value;
                    seen[column] = true;
                    expected = column + 1;
                }

                i = PlainJson.SkipBlank(bytes, i, end);
                if (i >= end) return PlainJson.Short;
                if (bytes[i] == (byte)'}')
                {
                    Current = Create();
                    return i + 1;
                }
                if (bytes[i] != (byte)',') return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, i + 1, end);
                if (i >= end) return PlainJson.Short;
            }
        }

        const int PlainUndecodable = -3;

        /// <summary>
        /// The column of a property name, as <see cref="ReportColumns.Match"/> finds it: the expected column by its
        /// bytes, else by name (ignoring case); -1 for a column not asked for, <see cref="PlainUndecodable"/> for bytes
        /// that are not UTF-8.
        /// </summary>
        int MatchPlain(byte[] bytes, int start, int length, int expected)
        {
            if (expected < columns.Count && new ReadOnlySpan<byte>(bytes, start, length).SequenceEqual(columns.Utf8(expected)))
            {
                return expected;
            }
            return PlainJson.TryDecode(bytes, start, length, out string name) ? columns.IndexOf(name) : PlainUndecodable;
        }

        /// <summary>One column's value, converted; the reader ends on the value's last token.</summary>
        object ConvertValue(ref Utf8JsonReader reader, int column) => converter.ReadValue(ref reader);

        [MethodImpl(HotPath.Optimized)]
        object Create()
        {
            if (factory != null)
            {
                // The row's constructor copies the values, so the array is reused for the next row.
                return factory(values);
            }
            int count = columns.Count;
            var row = new PSObject();
            PSMemberInfoCollection<PSPropertyInfo> properties = row.Properties;
            propertyNames = propertyNames ?? ReportRowType.PropertyNames(columns.Names);
            for (int i = 0; i < count; i++)
            {
                properties.Add(new PSNoteProperty(propertyNames[i], values[i]), true);
            }
            row.TypeNames.Insert(0, TypeName);
            row.TypeNames.Insert(0, reportTypeName);
            return row;
        }
    }
}
