using System;
using System.Management.Automation;
using System.Text.Json;
using AvantiPS.Json;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Builds one object per report row with every column of the report, in report order, $null where Avanti left
    /// the column out: an instance of the report's own row class (<see cref="ReportRowType"/>), or a PSCustomObject
    /// where no class can be made. Column names are matched as bytes, so a row costs its values only.
    /// </summary>
    internal sealed class ReportRowBuilder
    {
        public const string TypeName = "AvantiPS.ReportRow";
        readonly ReportColumns columns;
        readonly string reportTypeName;
        readonly Func<object[], object> factory;
        readonly object[] values;

        public ReportRowBuilder(ReportColumns columns, string reportId)
        {
            this.columns = columns;
            reportTypeName = TypeName + "#" + reportId;
            values = new object[columns.Count];
            factory = ReportRowType.Factory(reportId, columns.Names);
        }

        public object Build(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A report row is not a JSON object.");
            }
            int count = columns.Count;
            Array.Clear(values, 0, count);

            int expected = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int column = expected < count && reader.ValueTextEquals(columns.Utf8(expected))
                    ? expected
                    : columns.IndexOf(reader.GetString());
                reader.Read();
                if (column < 0)
                {
                    // Only with a fixed column set (-Property): a column the caller did not ask for.
                    if (!reader.TrySkip()) throw new JsonException("A report row ended early.");
                    continue;
                }
                values[column] = JsonValueConverter.ReadValue(ref reader);
                expected = column + 1;
            }

            if (factory != null)
            {
                // The row's constructor copies the values, so the array is reused for the next row.
                return factory(values);
            }
            var row = new PSObject();
            PSMemberInfoCollection<PSPropertyInfo> properties = row.Properties;
            for (int i = 0; i < count; i++)
            {
                properties.Add(new PSNoteProperty(columns[i], values[i]), true);
            }
            row.TypeNames.Insert(0, TypeName);
            row.TypeNames.Insert(0, reportTypeName);
            return row;
        }
    }
}
