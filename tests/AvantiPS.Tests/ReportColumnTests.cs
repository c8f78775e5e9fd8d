using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AvantiPS.Json;
using AvantiPS.Reports;
using Xunit;

namespace AvantiPS.Tests
{
    public class ReportColumnTests
    {
        /// <summary>Hands the body to the scanner in chunks of the given size, as the download would; no final call.</summary>
        static void Feed(ColumnScanner scanner, string json, int chunk)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            for (int i = 0; i < bytes.Length; i += chunk)
            {
                byte[] part = bytes.Skip(i).Take(chunk).ToArray();
                scanner.Scan(part, part.Length, false);
            }
        }

        static ReportColumns Scan(string json, int chunk)
        {
            var columns = new ReportColumns();
            var scanner = new ColumnScanner(columns);
            Feed(scanner, json, chunk);
            scanner.Scan(new byte[0], 0, true);
            Assert.False(scanner.Failed);
            return columns;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        [InlineData(4096)]
        public void Columns_seen_late_are_placed_in_report_order(int chunk)
        {
            string json = "[{\"employeeNo\":\"1\",\"bonus\":5,\"hireDate\":\"x\"},{\"employeeNo\":\"2\",\"hireDate\":\"y\",\"terminationDate\":\"z\",\"province\":\"ON\"},{\"employeeNo\":\"3\",\"firstName\":\"A\",\"bonus\":1,\"hireDate\":\"x\"}]";
            ReportColumns columns = Scan(json, chunk);
            Assert.Equal(new[] { "employeeNo", "firstName", "bonus", "hireDate", "terminationDate", "province" }, columns.Names);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(4096)]
        public void The_scan_follows_strings_escapes_and_nested_values(int chunk)
        {
            string json = "[{\"a\\\"b\":1,\"c\\u00e9\":{\"d\":[{\"e\":\"}\"}]}},\n {\"x\":\"]\\\\\",\"a\\\"b\":\"{\"}]";
            var columns = new ReportColumns();
            var scanner = new ColumnScanner(columns);
            Feed(scanner, json, chunk);
            Assert.False(scanner.Truncated);
            Assert.Equal(2, scanner.Rows);
            Assert.Equal(new[] { "x", "a\"b", "c\u00e9" }, columns.Names);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4096)]
        public void A_name_written_with_escapes_is_never_taken_for_a_column_whose_text_it_resembles(int chunk)
        {
            // Column 0 is a\ (written "a\\"); the next row's name a"b is written "a\"b", whose first bytes are a\ and a quote.
            string json = "[{\"a\\\\\":1},{\"a\\\"b\":2,\"c\":3}]";
            ReportColumns columns = Scan(json, chunk);
            Assert.Equal(new[] { "a\\", "a\"b", "c" }, columns.Names);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4096)]
        public void A_name_is_matched_by_its_text_not_by_the_bytes_its_escapes_are_written_with(int chunk)
        {
            // Column 0 is a\\ (written "a\\\\"); the next row's name a\ is written "a\\", the very bytes of column 0's text.
            string json = "[{\"a\\\\\\\\\":1},{\"a\\\\\":2}]";
            ReportColumns columns = Scan(json, chunk);
            Assert.Equal(new[] { "a\\\\", "a\\" }, columns.Names);
        }

        [Fact]
        public void Rows_carry_every_column_with_nulls_where_avanti_left_one_out()
        {
            string json = "[{\"a\":1,\"c\":\"000000011\"},{\"a\":2,\"b\":true,\"c\":\"x\"}]";
            ReportColumns columns = Scan(json, 3);
            var builder = new ReportRowBuilder(columns, "Sample");
            var source = new ReportRowSource(new MemoryStream(Encoding.UTF8.GetBytes(json)), builder);
            var rows = new List<PSObject>();
            while (source.MoveNext()) rows.Add(PSObject.AsPSObject(builder.Current));
            Assert.Equal(2, rows.Count);
            Assert.Equal(new[] { "a", "b", "c" }, rows[0].Properties.Select(p => p.Name));
            Assert.Null(rows[0].Properties["b"].Value);
            Assert.Equal("000000011", rows[0].Properties["c"].Value);
            Assert.Equal(true, rows[1].Properties["b"].Value);
            Assert.Equal("AvantiPS.ReportRow#sample", rows[0].TypeNames[0]);
            Assert.Equal("AvantiPS.ReportRow", rows[0].TypeNames[1]);
            Assert.IsAssignableFrom<ReportRow>(rows[0].BaseObject);
            // Rows are objects of their own: changing one changes no other.
            rows[0].Properties["c"].Value = "changed";
            Assert.Equal("x", rows[1].Properties["c"].Value);
        }

        [Fact]
        public void Column_sets_of_one_report_get_classes_of_the_same_name()
        {
            var first = new ReportColumns(new[] { "a", "b" });
            var second = new ReportColumns(new[] { "a", "b", "c" });
            var one = PSObject.AsPSObject(Build(first, "{\"a\":1,\"b\":2}"));
            var two = PSObject.AsPSObject(Build(second, "{\"c\":3}"));
            Assert.Equal("AvantiPS.ReportRow#same", one.TypeNames[0]);
            Assert.Equal("AvantiPS.ReportRow#same", two.TypeNames[0]);
            Assert.Equal(new[] { "a", "b" }, one.Properties.Select(p => p.Name));
            Assert.Equal(new[] { "a", "b", "c" }, two.Properties.Select(p => p.Name));
            Assert.Null(two.Properties["a"].Value);
            Assert.Equal(3L, two.Properties["c"].Value);
        }

        static object Build(ReportColumns columns, string json)
        {
            var builder = new ReportRowBuilder(columns, "Same");
            var source = new ReportRowSource(new System.ArraySegment<byte>(Encoding.UTF8.GetBytes("[" + json + "]")), builder);
            Assert.True(source.MoveNext());
            return builder.Current;
        }

        [Fact]
        public void Spool_round_trips_in_memory_and_through_the_encrypted_file()
        {
            foreach (int size in new[] { 1000, ReportSpool.MemoryLimit + 12345 })
            {
                byte[] data = Enumerable.Range(0, size).Select(i => (byte)(i * 31)).ToArray();
                using (var spool = new ReportSpool())
                {
                    for (int i = 0; i < size; i += 65536) spool.Write(data, i, System.Math.Min(65536, size - i));
                    Assert.Equal(size > ReportSpool.MemoryLimit, spool.OnDisk);
                    var copy = new MemoryStream();
                    using (Stream read = spool.OpenRead()) read.CopyTo(copy);
                    Assert.Equal(data, copy.ToArray());
                }
            }
        }
    
        /// <summary>Hands out at most a few bytes per read, so rows straddle every possible buffer boundary.</summary>
        static string Rows(int count)
        {
            var text = new StringBuilder("[");
            for (int i = 0; i < count; i++)
            {
                if (i > 0) text.Append(",\n");
                text.Append("{\"n\":" + i + ",\"name\":\"r\\u00e9ow " + i + "\",\"nested\":{\"x\":[1,2,{\"y\":null}]}" + (i % 3 == 0 ? ",\"late\":true" : "") + "}");
            }
            return text.Append("] \n").ToString();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(100000)]
        public void The_row_source_reads_every_row_once_whatever_the_chunks(int most)
        {
            string json = Rows(300);
            ReportColumns columns = Scan(json, 4096);
            var builder = new ReportRowBuilder(columns, "Trickle" + most);
            var source = new ReportRowSource(new TrickleStream(Encoding.UTF8.GetBytes(json), most), builder);
            var numbers = new List<long>();
            while (source.MoveNext())
            {
                var row = PSObject.AsPSObject(builder.Current);
                numbers.Add((long)row.Properties["n"].Value);
                Assert.Equal("r\u00e9ow " + (numbers.Count - 1), row.Properties["name"].Value);
                Assert.Equal((numbers.Count - 1) % 3 == 0 ? (object)true : null, row.Properties["late"].Value);
            }
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), numbers);
            Assert.Equal(300, source.Rows);
        }

        [Theory]
        [InlineData("[{\"a\":1},{\"a\":2},{\"a\"", 2)]
        [InlineData("[{\"a\":1},{\"a\":\"unterminated", 1)]
        [InlineData("[{\"a\":1}", 1)]
        [InlineData("[", 0)]
        public void A_body_that_ends_early_is_incomplete_after_its_whole_rows(string json, int whole)
        {
            var columns = new ReportColumns(new[] { "a" });
            var builder = new ReportRowBuilder(columns, "Cut");
            var source = new ReportRowSource(new MemoryStream(Encoding.UTF8.GetBytes(json)), builder);
            int rows = 0;
            Assert.Throws<JsonIncompleteException>(() => { while (source.MoveNext()) rows++; });
            Assert.Equal(whole, rows);

            var scanner = new ColumnScanner(new ReportColumns());
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            scanner.Scan(bytes, bytes.Length, false);
            Assert.True(scanner.Truncated);
        }

        [Theory]
        [InlineData("[{\"a\":1},{\"a\":}]", 1)]
        [InlineData("<html></html>", 0)]
        [InlineData("{\"a\":1}", 0)]
        [InlineData("[1,2]", 0)]
        [InlineData("[{\"a\":1}] x", 1)]
        public void A_body_that_is_not_an_array_of_rows_is_invalid(string json, int whole)
        {
            var builder = new ReportRowBuilder(new ReportColumns(new[] { "a" }), "Bad");
            var source = new ReportRowSource(new MemoryStream(Encoding.UTF8.GetBytes(json)), builder);
            int rows = 0;
            Assert.Throws<JsonInvalidException>(() => { while (source.MoveNext()) rows++; });
            Assert.Equal(whole, rows);
        }

        [Fact]
        public void A_whole_body_is_not_truncated_and_an_empty_one_is_empty()
        {
            var scanner = new ColumnScanner(new ReportColumns());
            byte[] bytes = Encoding.UTF8.GetBytes("[{\"a\":1}]");
            scanner.Scan(bytes, bytes.Length, false);
            Assert.False(scanner.Truncated);
            Assert.False(new ColumnScanner(new ReportColumns()).Truncated);

            var source = new ReportRowSource(new MemoryStream(Encoding.UTF8.GetBytes("  \n")), new ReportRowBuilder(new ReportColumns(), "Empty"));
            Assert.False(source.MoveNext());
            Assert.True(source.WasEmpty);
        }
    }
}
