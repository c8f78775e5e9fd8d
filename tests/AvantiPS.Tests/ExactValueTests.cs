using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using AvantiPS.Json;
using AvantiPS.Reports;
using Xunit;

namespace AvantiPS.Tests
{
    /// <summary>Values arrive as Avanti sent them (dates, amounts), go back the same way, and large bodies read in linear work.</summary>
    public class ExactValueTests
    {
        static object Convert(string json, AvantiDateKind kind = AvantiDateKind.AsSent)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            return new JsonValueConverter(kind).ReadValue(ref reader);
        }

        [Theory]
        [InlineData("1992-03-06T00:00:00.0000000+00:00", 0)]
        [InlineData("1992-03-06T00:00:00Z", 0)]
        [InlineData("1992-03-06T00:00:00-05:00", -300)]
        [InlineData("1992-03-06T00:00:00+05:30", 330)]
        [InlineData("1992-03-06T00:00:00-0230", -150)]
        public void By_default_a_date_with_an_offset_keeps_its_day_time_and_instant(string text, int offsetMinutes)
        {
            var value = Assert.IsType<DateTimeOffset>(Convert("\"" + text + "\""));
            Assert.Equal(new DateTime(1992, 3, 6), value.DateTime);
            Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), value.Offset);
            Assert.Equal(new DateTime(1992, 3, 6, 0, 0, 0, DateTimeKind.Utc).AddMinutes(-offsetMinutes), value.UtcDateTime);
        }

        [Fact]
        public void By_default_a_date_without_an_offset_is_the_day_and_time_sent()
        {
            var value = Assert.IsType<DateTime>(Convert("\"1992-03-06T08:15:00\""));
            Assert.Equal(DateTimeKind.Unspecified, value.Kind);
            Assert.Equal(new DateTime(1992, 3, 6, 8, 15, 0), value);
        }

        [Fact]
        public void DateKind_gives_ConvertFrom_Jsons_shapes()
        {
            const string offset = "\"1992-03-06T00:00:00-05:00\"";
            const string zulu = "\"1992-03-06T00:00:00Z\"";
            const string none = "\"1992-03-06T00:00:00\"";
            var instant = new DateTime(1992, 3, 6, 5, 0, 0, DateTimeKind.Utc);

            var local = Assert.IsType<DateTime>(Convert(offset, AvantiDateKind.Local));
            Assert.Equal(DateTimeKind.Local, local.Kind);
            Assert.Equal(instant, local.ToUniversalTime());
            Assert.Equal(new DateTime(1992, 3, 6), Assert.IsType<DateTime>(Convert(none, AvantiDateKind.Local)));
            Assert.Equal(DateTimeKind.Local, ((DateTime)Convert(none, AvantiDateKind.Local)).Kind);

            var utc = Assert.IsType<DateTime>(Convert(offset, AvantiDateKind.Utc));
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            Assert.Equal(instant, utc);
            Assert.Equal(DateTimeKind.Utc, ((DateTime)Convert(none, AvantiDateKind.Utc)).Kind);

            Assert.Equal(DateTimeKind.Utc, Assert.IsType<DateTime>(Convert(zulu, AvantiDateKind.Default)).Kind);
            Assert.Equal(DateTimeKind.Local, Assert.IsType<DateTime>(Convert(offset, AvantiDateKind.Default)).Kind);
            Assert.Equal(DateTimeKind.Unspecified, Assert.IsType<DateTime>(Convert(none, AvantiDateKind.Default)).Kind);

            var withOffset = Assert.IsType<DateTimeOffset>(Convert(offset, AvantiDateKind.Offset));
            Assert.Equal(TimeSpan.FromHours(-5), withOffset.Offset);
            var noneOffset = Assert.IsType<DateTimeOffset>(Convert(none, AvantiDateKind.Offset));
            Assert.Equal(new DateTime(1992, 3, 6), noneOffset.DateTime);
            Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(new DateTime(1992, 3, 6)), noneOffset.Offset);

            Assert.Equal("1992-03-06T00:00:00-05:00", Convert(offset, AvantiDateKind.String));
        }

        [Fact]
        public void An_offset_that_leaves_the_calendar_stays_text()
        {
            Assert.Equal("0001-01-01T00:00:00+05:00", Convert("\"0001-01-01T00:00:00+05:00\""));
        }

        [Theory]
        [InlineData("12345678901234567.89")]
        [InlineData("0.1")]
        [InlineData("-0.01")]
        [InlineData("28.750")]
        [InlineData("1.5E3")]
        public void Non_integers_are_exact_decimals(string text)
        {
            var value = Assert.IsType<decimal>(Convert(text));
            Assert.Equal(decimal.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), value);
            if (text.IndexOf('E') < 0) Assert.Equal(text, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void Numbers_beyond_decimal_stay_doubles_and_integers_stay_integers()
        {
            Assert.Equal(1e300, Assert.IsType<double>(Convert("1e300")));
            Assert.Equal(1e-40, Assert.IsType<double>(Convert("1e-40")));
            Assert.Equal(0m, Assert.IsType<decimal>(Convert("0.0")));
            Assert.Equal(42L, Assert.IsType<long>(Convert("42")));
            Assert.Equal("000000011", Convert("\"000000011\""));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4096)]
        public void A_byte_order_mark_before_the_body_is_skipped(int chunk)
        {
            byte[] json = Encoding.UTF8.GetBytes("[{\"amount\":1.25},{\"amount\":2}]");
            byte[] body = new byte[json.Length + 3];
            body[0] = 0xEF; body[1] = 0xBB; body[2] = 0xBF;
            json.CopyTo(body, 3);
            var reader = new JsonStreamReader<object>(new ChunkedStream(body, chunk), JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out object first));
            Assert.Equal(1.25m, ((PSObject)first).Properties["amount"].Value);
            Assert.True(reader.TryRead(out _));
            Assert.False(reader.TryRead(out _));
            Assert.True(reader.IsArray);
        }

        [Fact]
        public void A_byte_order_mark_alone_is_an_empty_body()
        {
            var reader = new JsonStreamReader<object>(new MemoryStream(new byte[] { 0xEF, 0xBB, 0xBF }), JsonValueConverter.Default.ReadValue);
            Assert.False(reader.TryRead(out _));
            Assert.True(reader.WasEmpty);
        }

        [Fact]
        public void A_byte_order_mark_does_not_hide_the_columns_of_a_report()
        {
            var columns = new ReportColumns();
            var scanner = new ColumnScanner(columns);
            byte[] body = Encoding.UTF8.GetBytes("\uFEFF[{\"employeeNo\":\"1\",\"hireDate\":\"1992-03-06T00:00:00\"}]");
            scanner.Scan(body, body.Length, false);
            scanner.Scan(new byte[0], 0, true);
            Assert.False(scanner.Failed);
            Assert.Equal(new[] { "employeeNo", "hireDate" }, columns.Names);
        }

        [Theory]
        [InlineData("{\"a\":[1,2,{\"b\":\"x\"")]
        [InlineData("{\"a\":\"cut")]
        [InlineData("tru")]
        [InlineData("\"cut")]
        public void A_body_that_stops_inside_the_value_is_incomplete(string text)
        {
            var reader = new JsonStreamReader<object>(new MemoryStream(Encoding.UTF8.GetBytes(text)), JsonValueConverter.Default.ReadValue);
            Assert.Throws<JsonIncompleteException>(() => reader.TryRead(out _));
        }

        [Theory]
        [InlineData("{\"a\":1,,}")]
        [InlineData("{\"a\" 1}")]
        [InlineData("12x")]
        public void A_body_with_a_wrong_byte_is_invalid_wherever_it_stops(string text)
        {
            var reader = new JsonStreamReader<object>(new MemoryStream(Encoding.UTF8.GetBytes(text)), JsonValueConverter.Default.ReadValue);
            Assert.Throws<JsonInvalidException>(() => { while (reader.TryRead(out _)) { } });
        }

        [Fact]
        public void A_top_level_number_is_read_at_the_end_of_the_body()
        {
            var reader = new JsonStreamReader<object>(new ChunkedStream(Encoding.UTF8.GetBytes("12.50"), 2), JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out object value));
            Assert.Equal(12.50m, value);
            Assert.False(reader.TryRead(out _));
        }

        /// <summary>A top-level object of many employees, as POST /v1/Employees answers.</summary>
        static byte[] EmployeesObject(int employees)
        {
            var sb = new StringBuilder("{\"total\":").Append(employees).Append(",\"employees\":[");
            for (int i = 0; i < employees; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append("{\"empNo\":\"").Append(i.ToString("D9")).Append("\",\"surname\":\"Tremblay\",\"rate\":28.75,\"hireDate\":\"1992-03-06T00:00:00.0000000+00:00\",\"notes\":\"")
                    .Append('x', 100).Append("\"}");
            }
            return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        }

        [Fact]
        public void A_large_object_is_tokenized_in_work_proportional_to_its_size()
        {
            // Network-sized reads (16 KB): the old reader re-scanned the whole partial value after each one, handing
            // the tokenizer about size^2 / 32 KB bytes (hundreds of times the body for a few MB).
            foreach (int employees in new[] { 10000, 40000 })
            {
                byte[] body = EmployeesObject(employees);
                var reader = new JsonStreamReader<object>(new ChunkedStream(body, 16 * 1024), JsonValueConverter.Default.ReadValue);
                Assert.True(reader.TryRead(out object value));
                Assert.Equal(employees, ((object[])((PSObject)value).Properties["employees"].Value).Length);
                Assert.False(reader.TryRead(out _));
                Assert.True(reader.BytesTokenized <= 2 * body.Length + 64 * 1024,
                    employees + " employees, " + body.Length + " bytes: " + reader.BytesTokenized + " bytes handed to the tokenizer");
            }
        }

        [Fact]
        public void One_huge_string_trickling_in_is_tokenized_in_linear_work()
        {
            byte[] body = Encoding.UTF8.GetBytes("[{\"notes\":\"" + new string('y', 4 * 1024 * 1024) + "\"}]");
            var reader = new JsonStreamReader<object>(new ChunkedStream(body, 8 * 1024), JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out _));
            Assert.False(reader.TryRead(out _));
            Assert.True(reader.BytesTokenized <= 4L * body.Length, body.Length + " bytes: " + reader.BytesTokenized + " bytes handed to the tokenizer");
        }

        [Theory]
        [InlineData("WageSample", "AvantiPS.ReportRow#wagesample")]
        [InlineData("wagesample", "AvantiPS.ReportRow#wagesample")]
        [InlineData("WAGESAMPLE", "AvantiPS.ReportRow#wagesample")]
        [InlineData("Wage,Sample[1]+x", "AvantiPS.ReportRow#wage_sample_1__x")]
        [InlineData("HR-2024_Q1", "AvantiPS.ReportRow#hr-2024_q1")]
        public void The_row_type_name_is_the_same_for_a_report_in_any_casing(string reportId, string expected)
        {
            Assert.Equal(expected, ReportRowType.NameFor(reportId));
            var make = ReportRowType.Factory(reportId, new[] { "employeeNo" });
            Assert.NotNull(make);
            Assert.Equal(expected, make(new object[] { "1" }).GetType().FullName);
        }

        [Theory]
        [InlineData("1992-03-06T00:00:00.0000000+00:00")]
        [InlineData("2024-11-03T01:30:00.0000000-05:00")]
        [InlineData("2024-01-01T00:00:00.0000000+05:30")]
        [InlineData("2024-07-01T23:59:59.1234567-02:30")]
        public void A_date_read_from_Avanti_goes_back_as_the_same_text(string text)
        {
            object value = Convert("\"" + text + "\"");
            Assert.True(OutgoingDate.TryFormat(value, false, out string sent));
            Assert.Equal(text, sent);
            Assert.Equal("{\"d\":\"" + text + "\"}", Encoding.UTF8.GetString(AvantiPS.Endpoints.JsonBodyWriter.Serialize(new System.Collections.Hashtable { ["d"] = value })));
        }

        [Fact]
        public void Dates_go_out_with_a_zone_and_date_only_values_as_the_day()
        {
            Assert.Equal("1992-03-06T00:00:00.0000000+00:00", OutgoingDate.Format(new DateTime(1992, 3, 6)));
            Assert.Equal("1992-03-06T10:00:00.0000000+00:00", OutgoingDate.Format(new DateTime(1992, 3, 6, 10, 0, 0, DateTimeKind.Utc)));
            var local = new DateTime(1992, 3, 6, 10, 0, 0, DateTimeKind.Local);
            Assert.Equal(local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture), OutgoingDate.Format(local));
            Assert.True(OutgoingDate.TryFormat(new DateTimeOffset(1992, 3, 6, 23, 0, 0, TimeSpan.FromHours(-8)), true, out string day));
            Assert.Equal("1992-03-06", day);
            Assert.True(OutgoingDate.TryFormat(new DateTime(1992, 3, 6, 23, 0, 0), true, out day));
            Assert.Equal("1992-03-06", day);
            Assert.False(OutgoingDate.TryFormat("1992-03-06", false, out _));
        }

        [Fact]
        public void A_query_parameter_the_contract_types_as_date_gets_the_day_and_a_date_time_gets_a_zone()
        {
            const string catalog = "{\"operations\":[{\"name\":\"Get-Days\",\"method\":\"GET\",\"path\":\"/v1/Days\",\"pathParameters\":[],"
                + "\"query\":[{\"name\":\"day\",\"type\":\"date\",\"required\":false},{\"name\":\"since\",\"type\":\"date-time\",\"required\":false}],"
                + "\"body\":false,\"changesData\":false,\"binary\":false}]}";
            var endpoints = AvantiPS.Catalog.EndpointCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(catalog)));
            var hired = new DateTimeOffset(1992, 3, 6, 23, 30, 0, TimeSpan.FromHours(-8));
            var call = AvantiPS.Endpoints.EndpointCall.Create(endpoints, "/v1/Days", null, null,
                new System.Collections.Hashtable { ["Day"] = hired, ["since"] = new DateTime(1992, 3, 6) }, null, null);
            Assert.Contains(new System.Collections.Generic.KeyValuePair<string, string>("day", "1992-03-06"), call.Request.Query);
            Assert.Contains(new System.Collections.Generic.KeyValuePair<string, string>("since", "1992-03-06T00:00:00.0000000+00:00"), call.Request.Query);
        }

        /// <summary>Hands out a body at most <c>chunk</c> bytes per read, like a network stream.</summary>
        sealed class ChunkedStream : MemoryStream
        {
            readonly int chunk;

            public ChunkedStream(byte[] data, int chunk) : base(data)
            {
                this.chunk = chunk;
            }

            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        }
    }
}
