using System.Runtime.CompilerServices;
using AvantiPS.Json;
using AvantiPS.Loading;

namespace AvantiPS.Reports
{
    /// <summary>
    /// What a plain row walk (<see cref="PlainRows.Walk"/>) hands each value to. <c>column</c> is the value's column,
    /// or -1 for a column not asked for (-Property). Each returns false to decline the row.
    /// </summary>
    internal interface IPlainRowVisitor
    {
        /// <summary>
        /// A string: its content from <paramref name="start"/>, without the quotes; <paramref name="ascii"/> when every
        /// byte is ASCII, <paramref name="escaped"/> when it has escapes (<see cref="PlainJson.Unescape"/>).
        /// </summary>
        bool String(int column, byte[] bytes, int start, int length, bool ascii, bool escaped);

        /// <summary>A number of at most 18 digits without exponent (<see cref="PlainJson.Number"/>), and its text.</summary>
        bool Number(int column, byte[] bytes, int start, int length, long mantissa, int scale, bool negative);

        /// <summary>true, false or null, and its text.</summary>
        bool Literal(int column, byte[] bytes, int start, int length, JsonLiteral literal);
    }

    /// <summary>
    /// The walk through one plain report row (<see cref="PlainJson"/>), shared by the row objects of Get-AvantiReport
    /// and the file of Export-AvantiReport, which differ only in what they keep of each value.
    /// </summary>
    internal static class PlainRows
    {
        /// <summary>
        /// Walks the row whose opening brace is at <paramref name="start"/>, matching each property name with its
        /// column as <see cref="ReportColumns.Match(byte[], int, int, int)"/> does: the index after the closing brace; <see cref="PlainJson.Short"/>
        /// when the bytes end inside the row; <see cref="PlainJson.Declined"/> when the row is not plain or the visitor
        /// declined a value. Only a whole row counts: after a short or declined walk the visitor's values are partial.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static int Walk<TVisitor>(ref TVisitor visitor, ReportColumns columns, byte[] bytes, int start, int end)
            where TVisitor : struct, IPlainRowVisitor
        {
            int i = PlainJson.SkipBlank(bytes, start + 1, end);
            if (i >= end) return PlainJson.Short;
            if (bytes[i] == (byte)'}') return i + 1;
            int expected = 0;
            while (true)
            {
                if (bytes[i] != (byte)'"') return PlainJson.Declined;
                int nameEnd = PlainJson.StringEnd(bytes, i + 1, end, out bool _, out bool nameEscaped);
                if (nameEnd < 0) return nameEnd;
                if (nameEscaped) return PlainJson.Declined;
                int column = columns.Match(bytes, i + 1, nameEnd - i - 1, expected);
                if (column == ReportColumns.Undecodable) return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, nameEnd + 1, end);
                if (i >= end) return PlainJson.Short;
                if (bytes[i] != (byte)':') return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, i + 1, end);
                if (i >= end) return PlainJson.Short;

                int valueStart = i;
                byte b = bytes[i];
                bool taken;
                if (b == (byte)'"')
                {
                    int valueEnd = PlainJson.StringEnd(bytes, i + 1, end, out bool ascii, out bool escaped);
                    if (valueEnd < 0) return valueEnd;
                    taken = visitor.String(column, bytes, i + 1, valueEnd - i - 1, ascii, escaped);
                    i = valueEnd + 1;
                }
                else if (b == (byte)'t' || b == (byte)'f' || b == (byte)'n')
                {
                    i = PlainJson.Literal(bytes, i, end, out JsonLiteral literal);
                    if (i < 0) return i;
                    taken = visitor.Literal(column, bytes, valueStart, i - valueStart, literal);
                }
                else
                {
                    i = PlainJson.Number(bytes, i, end, out long mantissa, out int scale, out bool negative);
                    if (i < 0) return i;
                    taken = visitor.Number(column, bytes, valueStart, i - valueStart, mantissa, scale, negative);
                }
                if (!taken) return PlainJson.Declined;
                if (column >= 0) expected = column + 1;

                i = PlainJson.SkipBlank(bytes, i, end);
                if (i >= end) return PlainJson.Short;
                if (bytes[i] == (byte)'}') return i + 1;
                if (bytes[i] != (byte)',') return PlainJson.Declined;
                i = PlainJson.SkipBlank(bytes, i + 1, end);
                if (i >= end) return PlainJson.Short;
            }
        }
    }
}
