using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using AvantiPS.Json;
using AvantiPS.Reports;
using Xunit;

namespace AvantiPS.Tests
{
    /// <summary>
    /// Report rows are read straight from their bytes when they are plain JSON, and by Utf8JsonReader when not. The
    /// two must never differ: same rows, same values (type, digits, scale, day, offset), same errors at the same place.
    /// </summary>
    public class PlainRowTests
    {
        // Values read from their bytes.
        static readonly string[] Plain =
        {
            "0", "7", "-12", "123456789012345678", "-123456789012345678", "35.96", "35.90", "-0.5", "0.000", "12345678.123456789",
            "\"\"", "\"plain\"", "\"000000011\"", "\"Beno\u00eet\"", "\"O'Brien\"", "\"\U0001F600 smile\"", "\"Smith, Jane\"",
            "\"2017-11-05T00:00:00.0000000+00:00\"", "\"2017-11-05T00:00:00\"", "\"2017-11-05T08:30:00Z\"", "\"2024-03-10T02:30:00-03:30\"",
            "\"2017-11-05\"", "\"2017-02-30T00:00:00\"", "\"9999-12-31T23:00:00-05:00\"", "true", "false", "null",
            // Escapes, as a server that escapes every accent and quote sends them.
            "\"with \\\"quotes\\\"\"", "\"tab\\there\"", "\"\\u00e9t\\u00e9\"", "\"O\\u0027Brien\"", "\"\\u00C9COLE\"",
            "\"\\ud83d\\ude00 pair\"", "\"slash \\/ back \\\\ \\b\\f\\n\\r\"", "\"2017-11-05T00:00:00\\u002B00:00\"", "\"Smith,\\n Jane\"",
        };

        // Values left to Utf8JsonReader, which a row may also hold.
        static readonly string[] Other =
        {
            "-0", "1234567890123456789", "99999999999999999999", "-0.0", "1e3", "1E-2", "2.5e+3", "0.1234567890123456789",
            "{\"a\":1,\"b\":[2,\"x\"]}", "[1,\"two\",null]", "[]",
        };

        static readonly string[] Names = { "employeeNo", "amount", "note", "when" };

        /// <summary>
        /// Rows of plain values across the columns, with varied whitespace and case; every fourth row also holds one of
        /// the <see cref="Other"/> values, as a real report mostly has plain rows.
        /// </summary>
        static string Corpus(int rows)
        {
            var text = new StringBuilder("[\n");
            for (int r = 0; r < rows; r++)
            {
                if (r > 0) text.Append(r % 5 == 0 ? " ,\r\n\t" : ",");
                text.Append(r % 7 == 0 ? "{ " : "{");
                bool first = true;
                for (int c = 0; c < Names.Length; c++)
                {
                    if ((r + c) % 6 == 5) continue; // Avanti leaves empty columns out.
                    if (!first) text.Append(r % 3 == 0 ? " , " : ",");
                    first = false;
                    string name = r % 11 == 3 && c == 0 ? "EmployeeNo" : Names[c];
                    string value = r % 4 == 1 && c == r % Names.Length ? Other[r / 4 % Other.Length] : Plain[(r * 7 + c * 13) % Plain.Length];
                    text.Append('"').Append(name).Append(r % 4 == 0 ? "\" : " : "\":").Append(value);
                }
                text.Append(r % 7 == 0 ? " }" : "}");
            }
            return text.Append("\n]\n").ToString();
        }

        /// <summary>A sink with both paths, counting the rows read from their bytes and every attempt at a row by either path.</summary>
        sealed class Counting : IReportRowSink, IPlainRowSink
        {
            readonly IReportRowSink sink;

            public Counting(IReportRowSink sink)
            {
                this.sink = sink;
            }

            public int PlainRows { get; private set; }

            public int Tries { get; private set; }

            public bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset)
            {
                Tries++;
                return sink.TryReadRow(ref reader, buffer, offset);
            }

            public int TryReadPlainRow(byte[] bytes, int start, int end)
            {
                Tries++;
                int after = ((IPlainRowSink)sink).TryReadPlainRow(bytes, start, end);
                if (after >= 0) PlainRows++;
                return after;
            }
        }

        /// <summary>Any sink with only the Utf8JsonReader path.</summary>
        sealed class ReaderPath : IReportRowSink
        {
            readonly IReportRowSink sink;

            public ReaderPath(IReportRowSink sink)
            {
                this.sink = sink;
            }

            public bool TryReadRow(ref Utf8JsonReader reader, byte[] buffer, int offset) => sink.TryReadRow(ref reader, buffer, offset);
        }

        static int RowsWithOther(int rows) => Enumerable.Range(0, rows).Count(r => r % 4 == 1 && (r + r % Names.Length) % 6 != 5);

        [Theory]
        [InlineData(ReportFileFormat.Csv, 7)]
        [InlineData(ReportFileFormat.Csv, int.MaxValue)]
        [InlineData(ReportFileFormat.JsonLines, 7)]
        [InlineData(ReportFileFormat.Json, int.MaxValue)]
        public void Files_written_from_plain_rows_match_the_json_reader_byte_for_byte(ReportFileFormat format, int most)
        {
            string json = Corpus(400);
            byte[] Write(bool plain, out int plainRows)
            {
                var output = new MemoryStream();
                var writer = new ReportFileWriter(output, new ReportColumns(Names), format, ',', false);
                var counting = new Counting(writer);
                var source = new ReportRowSource(new TrickleStream(Encoding.UTF8.GetBytes(json), most), plain ? (IReportRowSink)counting : new ReaderPath(writer));
                while (source.MoveNext())
                {
                }
                writer.Finish();
                plainRows = counting.PlainRows;
                return output.ToArray();
            }

            byte[] fromPlain = Write(true, out int plainRows);
            byte[] fromReader = Write(false, out int _);
            Assert.Equal(400 - RowsWithOther(400), plainRows);
            Assert.Equal(Encoding.UTF8.GetString(fromReader), Encoding.UTF8.GetString(fromPlain));
            if (format == ReportFileFormat.Csv) Assert.Contains("\"Smith, Jane\"", Encoding.UTF8.GetString(fromPlain));
        }

        static List<object[]> ReadAll(string json, bool plain, int most, string[] columns = null, AvantiDateKind dateKind = AvantiDateKind.AsSent) =>
            ReadAll(json, plain, most, out int _, columns, dateKind);

        static List<object[]> ReadAll(string json, bool plain, int most, out int plainRows, string[] columns = null, AvantiDateKind dateKind = AvantiDateKind.AsSent)
        {
            var builder = new ReportRowBuilder(new ReportColumns(columns ?? Names), "Plain" + plain, new JsonValueConverter(dateKind));
            var counting = new Counting(builder);
            var source = new ReportRowSource(new TrickleStream(Encoding.UTF8.GetBytes(json), most), plain ? (IReportRowSink)counting : new ReaderPath(builder));
            var rows = new List<object[]>();
            while (source.MoveNext())
            {
                rows.Add(PSObject.AsPSObject(builder.Current).Properties.Select(p => p.Value).ToArray());
            }
            plainRows = counting.PlainRows;
            return rows;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(4096)]
        [InlineData(int.MaxValue)]
        public void Plain_rows_hold_exactly_what_the_json_reader_reads(int most)
        {
            string json = Corpus(400);
            List<object[]> plain = ReadAll(json, true, most, out int plainRows);
            List<object[]> reader = ReadAll(json, false, most);

            Assert.Equal(400, plain.Count);
            // Every row without an Other value was read from its bytes, however the body was cut; the rest by the reader.
            Assert.Equal(400 - RowsWithOther(400), plainRows);
            Assert.Equal(reader.Select(r => string.Join(" | ", r.Select(Exact.Of))), plain.Select(r => string.Join(" | ", r.Select(Exact.Of))));
            // Spot checks of what the comparison guards: zeros kept, decimal scale kept, the day and offset Avanti sent.
            Assert.Contains(plain, r => Equals(r[0], "000000011"));
            Assert.Contains(plain, r => r[1] is decimal d && decimal.GetBits(d)[3] >> 16 == 2 && d == 35.90m);
            Assert.Contains(plain, r => r[2] is DateTimeOffset o && o.Offset == new TimeSpan(-3, -30, 0) && o.Day == 10);
        }

        [Theory]
        [InlineData(AvantiDateKind.String)]
        [InlineData(AvantiDateKind.Utc)]
        [InlineData(AvantiDateKind.Local)]
        public void Every_date_kind_reads_the_same_both_ways(AvantiDateKind kind)
        {
            string json = Corpus(120);
            Assert.Equal(
                ReadAll(json, false, int.MaxValue, null, kind).Select(r => string.Join(" | ", r.Select(Exact.Of))),
                ReadAll(json, true, int.MaxValue, null, kind).Select(r => string.Join(" | ", r.Select(Exact.Of))));
        }

        [Fact]
        public void Columns_not_asked_for_are_passed_over_both_ways()
        {
            string json = Corpus(120);
            string[] some = { "note", "absent", "EMPLOYEENO" };
            List<object[]> plain = ReadAll(json, true, 4096, some);
            Assert.Equal(ReadAll(json, false, 4096, some).Select(r => string.Join(" | ", r.Select(Exact.Of))), plain.Select(r => string.Join(" | ", r.Select(Exact.Of))));
            Assert.All(plain, r => Assert.Null(r[1]));
        }

        [Fact]
        public void A_plain_row_is_read_from_its_bytes_and_others_are_left_to_the_reader()
        {
            var builder = new ReportRowBuilder(new ReportColumns(Names), "Plain");
            byte[] row = Encoding.UTF8.GetBytes("{\"employeeNo\":\"000000011\",\"amount\":35.90,\"note\":\"Beno\u00eet\",\"when\":null} tail");
            Assert.Equal(row.Length - 5, builder.TryReadPlainRow(row, 0, row.Length));

            byte[] escaped = Encoding.UTF8.GetBytes("{\"note\":\"a\\\"b \\u00e9\\ud83d\\ude00\"}");
            Assert.Equal(escaped.Length, builder.TryReadPlainRow(escaped, 0, escaped.Length));
            Assert.Equal("a\"b \u00e9\U0001F600", PSObject.AsPSObject(builder.Current).Properties["note"].Value);

            foreach (string declined in new[]
            {
                "{\"note\":\"\\ud800 alone\"}", "{\"note\":\"\\x\"}", "{\"n\\u006fte\":1}", "{\"amount\":1e3}", "{\"amount\":1234567890123456789}", "{\"note\":{\"a\":1}}",
                "{\"amount\":-0}", "{\"amount\":01}", "{\"note\":tru}", "{\"a\":1,}", "{\"a\" 1}",
            })
            {
                byte[] bytes = Encoding.UTF8.GetBytes(declined);
                Assert.Equal(PlainJson.Declined, builder.TryReadPlainRow(bytes, 0, bytes.Length));
            }
            // Bytes that are not UTF-8 in a column's value go to the reader, which reports them; in a column not
            // asked for they are passed over unread, as the reader passes over that value.
            byte[] bad = Encoding.UTF8.GetBytes("{\"note\":\"?\"}");
            bad[Array.IndexOf(bad, (byte)'?')] = 0xFF;
            Assert.Equal(PlainJson.Declined, builder.TryReadPlainRow(bad, 0, bad.Length));
            byte[] unasked = Encoding.UTF8.GetBytes("{\"other\":\"?\"}");
            unasked[Array.IndexOf(unasked, (byte)'?')] = 0xFF;
            Assert.Equal(unasked.Length, builder.TryReadPlainRow(unasked, 0, unasked.Length));
        }

        [Fact]
        public void A_plain_row_cut_anywhere_asks_for_more_and_never_makes_a_row()
        {
            var builder = new ReportRowBuilder(new ReportColumns(Names), "Cut");
            byte[] row = Encoding.UTF8.GetBytes("{ \"employeeNo\" : \"000000011\", \"amount\":-35.90,\"note\":\"x\\u00e9\\\"y\\\\\",\"when\":false, \"x\":null,\"y\":12 }");
            for (int cut = 1; cut < row.Length; cut++)
            {
                Assert.Equal(PlainJson.Short, builder.TryReadPlainRow(row, 0, cut));
            }
            Assert.Equal(row.Length, builder.TryReadPlainRow(row, 0, row.Length));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_row_of_megabytes_arriving_in_small_reads_is_read_again_a_few_times_not_once_a_read(bool plain)
        {
            string big = new string('x', 3 * 1024 * 1024);
            string json = "[{\"note\":\"small\"},{\"note\":\"" + big + "\",\"amount\":" + (plain ? "1" : "1e3") + "},{\"note\":\"after\"}]";
            var builder = new ReportRowBuilder(new ReportColumns(Names), "Big" + plain);
            var tries = new Counting(builder);
            var source = new ReportRowSource(new TrickleStream(Encoding.UTF8.GetBytes(json), 4096), tries);
            var notes = new List<string>();
            while (source.MoveNext())
            {
                notes.Add((string)PSObject.AsPSObject(builder.Current).Properties["note"].Value);
            }
            Assert.Equal(new[] { "small", big, "after" }, notes);
            // 3 MB in 4 KB reads is 768 reads; the row is tried once a read up to BodyWindow.LargeValue (16), then after each doubling.
            Assert.InRange(tries.Tries, 3, 40);
        }

        [Theory]
        [InlineData("[{\"a\":1},{\"a\":01}]")]
        [InlineData("[{\"a\":1},{\"a\":tru}]")]
        [InlineData("[{\"a\":1},{\"a\":\"x\u0001\"}]")]
        [InlineData("[{\"a\":1} {\"a\":2}]")]
        [InlineData("[{\"a\":1},]")]
        [InlineData("[{\"a\":1},{\"a\":1,}]")]
        [InlineData("[{\"a\":1},{\"a\":-}]")]
        [InlineData("[{\"a\":1},{\"a\":\"\\x\"}]")]
        [InlineData("[{\"a\":1},{\"a\":\"\\u12G4\"}]")]
        [InlineData("[{\"a\":1},{\"a\":1.}]")]
        [InlineData("[{\"a\":1},2]")]
        [InlineData("[{\"a\":1}]]")]
        public void Bad_json_fails_at_the_same_place_with_the_same_words_both_ways(string json)
        {
            JsonInvalidException plain = Assert.Throws<JsonInvalidException>(() => ReadAll(json, true, int.MaxValue, new[] { "a" }));
            JsonInvalidException reader = Assert.Throws<JsonInvalidException>(() => ReadAll(json, false, int.MaxValue, new[] { "a" }));
            Assert.Equal(reader.Message, plain.Message);
            Assert.DoesNotContain("LineNumber", plain.Message);
            Assert.True(plain.Position >= 8, plain.Message);
        }

        [Fact]
        public void Bytes_that_are_not_utf8_fail_the_same_both_ways()
        {
            byte[] json = Encoding.UTF8.GetBytes("[{\"a\":\"ok\"},{\"a\":\"?\"}]");
            json[Array.LastIndexOf(json, (byte)'?')] = 0xC3;
            Exception Read(bool plain)
            {
                var builder = new ReportRowBuilder(new ReportColumns(new[] { "a" }), "Utf8" + plain);
                var source = new ReportRowSource(new MemoryStream(json), plain ? (IReportRowSink)builder : new ReaderPath(builder));
                return Assert.Throws<JsonInvalidException>(() => { while (source.MoveNext()) { } });
            }
            Assert.Equal(Read(false).Message, Read(true).Message);
        }
    }
}
