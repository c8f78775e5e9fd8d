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
        static ReportColumns Scan(string json, int chunk)
        {
            var columns = new ReportColumns();
            var scanner = new ColumnScanner(columns);
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            for (int i = 0; i < bytes.Length; i += chunk)
            {
                byte[] part = bytes.Skip(i).Take(chunk).ToArray();
                scanner.Scan(part, part.Length, false);
            }
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

        [Fact]
        public void Rows_carry_every_column_with_nulls_where_avanti_left_one_out()
        {
            string json = "[{\"a\":1,\"c\":\"000000011\"},{\"a\":2,\"b\":true,\"c\":\"x\"}]";
            ReportColumns columns = Scan(json, 3);
            var builder = new ReportRowBuilder(columns, "Sample");
            var reader = new JsonStreamReader<object>(new MemoryStream(Encoding.UTF8.GetBytes(json)), builder.Build);
            var rows = new List<PSObject>();
            while (reader.TryRead(out object row)) rows.Add(PSObject.AsPSObject(row));
            Assert.Equal(2, rows.Count);
            Assert.Equal(new[] { "a", "b", "c" }, rows[0].Properties.Select(p => p.Name));
            Assert.Null(rows[0].Properties["b"].Value);
            Assert.Equal("000000011", rows[0].Properties["c"].Value);
            Assert.Equal(true, rows[1].Properties["b"].Value);
            Assert.Equal("AvantiPS.ReportRow#Sample", rows[0].TypeNames[0]);
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
            Assert.Equal("AvantiPS.ReportRow#Same", one.TypeNames[0]);
            Assert.Equal("AvantiPS.ReportRow#Same", two.TypeNames[0]);
            Assert.Equal(new[] { "a", "b" }, one.Properties.Select(p => p.Name));
            Assert.Equal(new[] { "a", "b", "c" }, two.Properties.Select(p => p.Name));
            Assert.Null(two.Properties["a"].Value);
            Assert.Equal(3L, two.Properties["c"].Value);
        }

        static object Build(ReportColumns columns, string json)
        {
            var builder = new ReportRowBuilder(columns, "Same");
            var reader = new System.Text.Json.Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            return builder.Build(ref reader);
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
    }
}
