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
    internal sealed class ReportRowBuilder : IReportRowSink
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
