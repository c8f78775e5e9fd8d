using System.Runtime.CompilerServices;
using System.Text.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>What a row walk with Utf8JsonReader (<see cref="ReaderRows.Walk"/>) hands each value to.</summary>
    internal interface IReaderRowVisitor
    {
        /// <summary>
        /// The value of <paramref name="column"/> at the reader's current token, all in the buffer (a nested value
        /// too); <paramref name="start"/> is where it begins in the buffer. Leaves the reader on the value's last token.
        /// </summary>
        void Value(int column, ref Utf8JsonReader reader, int start);
    }

    /// <summary>
    /// The walk through one report row with Utf8JsonReader, for the rows <see cref="PlainRows"/> leaves to it; shared
    /// by the row objects of Get-AvantiReport and the file of Export-AvantiReport.
    /// </summary>
    internal static class ReaderRows
    {
        /// <summary>
        /// Walks the row from its StartObject (the reader's current token) to its EndObject, passing over the values
        /// of columns not asked for: true at the row's end; false when the data ran out first, the values handed
        /// over being partial then (the row is read again once more data is in).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static bool Walk<TVisitor>(ref TVisitor visitor, ReportColumns columns, ref Utf8JsonReader reader, int offset)
            where TVisitor : struct, IReaderRowVisitor
        {
            int expected = 0;
            while (true)
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.EndObject) return true;
                int column = columns.Match(ref reader, expected);
                if (!reader.Read()) return false;
                if (column < 0 || reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray)
                {
                    // A nested value must be all in before it is read; a column not asked for (-Property) is passed over.
                    Utf8JsonReader probe = reader;
                    if (!probe.TrySkip()) return false;
                    if (column < 0)
                    {
                        reader = probe;
                        continue;
                    }
                }
                visitor.Value(column, ref reader, offset + (int)reader.TokenStartIndex);
                expected = column + 1;
            }
        }
    }
}
