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

        /// <summary>Reads the row at the reader with Utf8JsonReader (<see cref="ReaderRows"/>); false when the data ran out first.</summary>
        [MethodImpl(HotPath.Optimized)]
        public bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset)
        {
            Array.Clear(values, 0, columns.Count);
            var visitor = new ReaderValues(this);
            if (!ReaderRows.Walk(ref visitor, columns, ref reader, offset)) return false;
            Current = Create();
            return true;
        }

        /// <summary>Each value converted by the reading's <see cref="JsonValueConverter"/>.</summary>
        readonly struct ReaderValues : IReaderRowVisitor
        {
            readonly ReportRowBuilder builder;

            public ReaderValues(ReportRowBuilder builder)
            {
                this.builder = builder;
            }

            public void Value(int column, ref Utf8JsonReader reader, int start) => builder.Set(column, builder.converter.ReadValue(ref reader));
        }

        /// <summary>
        /// Reads the row whose opening brace is at <paramref name="start"/> straight from the bytes when it is plain
        /// JSON (<see cref="PlainRows"/>): the index after its closing brace, with <see cref="Current"/> set;
        /// <see cref="PlainJson.Short"/> when the bytes end inside the row; <see cref="PlainJson.Declined"/> for a row
        /// that <see cref="TryReadRow"/> must read (with the same values). Either way no row is made.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public int TryReadPlainRow(byte[] bytes, int start, int end)
        {
            Array.Clear(values, 0, columns.Count);
            var visitor = new PlainValues(this);
            int after = PlainRows.Walk(ref visitor, columns, bytes, start, end);
            if (after >= 0) Current = Create();
            return after;
        }

        /// <summary>Each plain value converted as <see cref="JsonValueConverter"/> converts the reader's tokens.</summary>
        readonly struct PlainValues : IPlainRowVisitor
        {
            readonly ReportRowBuilder builder;

            public PlainValues(ReportRowBuilder builder)
            {
                this.builder = builder;
            }

            public bool String(int column, byte[] bytes, int start, int length, bool ascii, bool escaped)
            {
                if (column < 0) return true;
                if (!builder.converter.TryReadPlainString(bytes, start, length, ascii, escaped, out object value)) return false;
                builder.Set(column, value);
                return true;
            }

            public bool Number(int column, byte[] bytes, int start, int length, long mantissa, int scale, bool negative)
            {
                if (column >= 0) builder.Set(column, JsonValueConverter.PlainNumber(mantissa, scale, negative));
                return true;
            }

            public bool Literal(int column, byte[] bytes, int start, int length, JsonLiteral literal)
            {
                if (column >= 0) builder.Set(column, JsonValueConverter.LiteralValue(literal));
                return true;
            }
        }

        void Set(int column, object value)
        {
            values[column] = value;
            seen[column] = true;
        }

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
