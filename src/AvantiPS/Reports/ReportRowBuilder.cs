using System;
using System.Management.Automation;
using System.Text.Json;
using AvantiPS.Json;

namespace AvantiPS.Reports
{
    /// <summary>
    /// Builds one PSCustomObject per report row with every column of the report, in report order, $null where Avanti
    /// left the column out. Column names are reused across rows and matched as bytes, so a row costs its values only.
    /// </summary>
    internal sealed class ReportRowBuilder
    {
        public const string TypeName = "AvantiPS.ReportRow";
        readonly ReportColumns columns;
        readonly SharedTypeNames typeNames;
        object[] values = new object[0];

        public ReportRowBuilder(ReportColumns columns, string reportId)
        {
            this.columns = columns;
            typeNames = new SharedTypeNames(TypeName + "#" + reportId, TypeName);
        }

        public PSObject Build(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A report row is not a JSON object.");
            }
            int count = columns.Count;
            if (values.Length != count) values = new object[count];
            else Array.Clear(values, 0, count);

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

            var row = new PSObject();
            PSMemberInfoCollection<PSPropertyInfo> properties = row.Properties;
            for (int i = 0; i < count; i++)
            {
                properties.Add(new PSNoteProperty(columns[i], values[i]), true);
            }
            typeNames.Apply(row);
            return row;
        }
    }
}
