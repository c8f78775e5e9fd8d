using System;
using System.IO;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using AvantiPS.Json;
using Xunit;

namespace AvantiPS.Tests
{
    public class JsonConversionTests
    {
        [Fact]
        public void Asking_for_as_much_again_reads_up_to_the_limit_and_only_a_larger_value_is_refused()
        {
            // Limit 64 bytes, reads of 7: 40 or more in hand, asking for as many more (as a reader of a large value does) reads to the limit.
            var window = new BodyWindow(new TrickleStream(new byte[100]), 16, 64, "too large");
            window.Fill(40);
            Assert.InRange(window.End, 40, 63);
            window.Fill(window.End - window.Start);
            Assert.Equal(64, window.End);
            // Full at the limit with the value still going on: that value is too large.
            var refused = Assert.Throws<JsonInvalidException>(() => window.Fill(window.End - window.Start));
            Assert.Contains("too large", refused.Message);
        }

        static object Convert(string json)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            return JsonValueConverter.Default.ReadValue(ref reader);
        }

        [Fact]
        public void Values_convert_as_ConvertFrom_Json_does_except_dates_and_decimals()
        {
            var row = (PSObject)Convert("{\"employeeNo\":\"000000011\",\"rate\":5,\"hours\":1.5,\"active\":true,\"note\":null,\"big\":12345678901234567890123,\"hired\":\"2019-08-01T10:00:00\",\"utc\":\"2019-08-01T10:00:00Z\",\"dateOnly\":\"2019-08-01\",\"noSeconds\":\"2019-08-01T10:00\",\"tags\":[1,\"a\"]}");
            Assert.Equal("000000011", row.Properties["employeeNo"].Value);
            Assert.Equal(5L, row.Properties["rate"].Value);
            Assert.Equal(1.5m, row.Properties["hours"].Value);
            Assert.Equal(true, row.Properties["active"].Value);
            Assert.Null(row.Properties["note"].Value);
            Assert.IsType<BigInteger>(row.Properties["big"].Value);
            var hired = Assert.IsType<DateTime>(row.Properties["hired"].Value);
            Assert.Equal(DateTimeKind.Unspecified, hired.Kind);
            Assert.Equal(new DateTime(2019, 8, 1, 10, 0, 0), hired);
            var utc = Assert.IsType<DateTimeOffset>(row.Properties["utc"].Value);
            Assert.Equal(new DateTimeOffset(2019, 8, 1, 10, 0, 0, TimeSpan.Zero), utc);
            Assert.Equal(TimeSpan.Zero, utc.Offset);
            Assert.Equal("2019-08-01", row.Properties["dateOnly"].Value);
            Assert.Equal("2019-08-01T10:00", row.Properties["noSeconds"].Value);
            Assert.Equal(new object[] { 1L, "a" }, (object[])row.Properties["tags"].Value);
        }

        [Fact]
        public void A_repeated_property_name_keeps_the_last_value_under_the_first_spelling_in_small_and_wide_objects()
        {
            var small = (PSObject)Convert("{\"id\":1,\"Name\":\"first\",\"name\":\"second\",\"id\":2}");
            Assert.Equal(new[] { "id", "Name" }, PropertyNamesOf(small));
            Assert.Equal(2L, small.Properties["id"].Value);
            Assert.Equal("second", small.Properties["Name"].Value);

            // Past 32 names the names seen so far are kept in a set: a repeat there must be found too.
            var json = new StringBuilder("{");
            for (int i = 0; i < 40; i++) json.Append("\"p").Append(i).Append("\":").Append(i).Append(',');
            json.Append("\"P3\":\"again\",\"P39\":\"last\"}");
            var wide = (PSObject)Convert(json.ToString());
            string[] wideNames = PropertyNamesOf(wide);
            Assert.Equal(40, wideNames.Length);
            Assert.Equal("p3", wideNames[3]);
            Assert.Equal("p39", wideNames[39]);
            Assert.Equal("again", wide.Properties["p3"].Value);
            Assert.Equal("last", wide.Properties["p39"].Value);
        }

        [Fact]
        public void Property_names_are_decoded_once_per_reading_and_escaped_or_colliding_names_still_read_right()
        {
            // 600 distinct names twice over: more names than the table has slots, so slots are shared and replaced.
            var json = new StringBuilder("[");
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < 600; i++) json.Append(round + i == 0 ? "" : ",").Append("{\"column").Append(i).Append("\":").Append(i).Append('}');
            }
            json.Append(",{\"na\\u006De\":1},{\"name\":2},{\"NAME\":3}]");
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json.ToString()));
            reader.Read();
            var rows = (object[])new JsonValueConverter(AvantiDateKind.AsSent).ReadValue(ref reader);
            for (int i = 0; i < 1200; i++)
            {
                Assert.Equal("column" + (i % 600), Assert.Single(PropertyNamesOf((PSObject)rows[i])));
            }
            Assert.Equal("name", Assert.Single(PropertyNamesOf((PSObject)rows[1200])));
            Assert.Equal("name", Assert.Single(PropertyNamesOf((PSObject)rows[1201])));
            Assert.Equal("NAME", Assert.Single(PropertyNamesOf((PSObject)rows[1202])));

            // The same bytes in one reading give the same string: one name per column, not one per row.
            var a = new Utf8JsonReader(Encoding.UTF8.GetBytes("[{\"employeeNo\":1},{\"employeeNo\":2}]"));
            a.Read();
            var two = (object[])new JsonValueConverter(AvantiDateKind.AsSent).ReadValue(ref a);
            Assert.Same(PropertyNamesOf((PSObject)two[0])[0], PropertyNamesOf((PSObject)two[1])[0]);
        }

        static string[] PropertyNamesOf(PSObject row)
        {
            var names = new System.Collections.Generic.List<string>();
            foreach (PSPropertyInfo p in row.Properties) names.Add(p.Name);
            return names.ToArray();
        }

        [Theory]
        [InlineData("\"2019-13-01T00:00:00\"")]
        [InlineData("\"2019-02-30T00:00:00\"")]
        [InlineData("\"2019-08-01T10:00:00+25:00\"")]
        [InlineData("\"2019-08-01T10:00:00 extra\"")]
        public void Near_dates_stay_strings(string json)
        {
            Assert.IsType<string>(Convert(json));
        }

        /// <summary>Hands out a body a few bytes at a time, recording how much was read when each value appeared.</summary>
        sealed class TrickleStream : MemoryStream
        {
            public TrickleStream(byte[] data) : base(data) { }

            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
        }

        [Fact]
        public void Array_elements_are_handed_out_before_the_body_ends()
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < 200; i++) sb.Append(i == 0 ? "" : ",").Append("{\"n\":").Append(i).Append(",\"s\":\"").Append(new string('x', 50)).Append("\"}");
            sb.Append(']');
            byte[] body = Encoding.UTF8.GetBytes(sb.ToString());
            var stream = new TrickleStream(body);
            var reader = new JsonStreamReader<object>(stream, JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out object first));
            Assert.Equal(0L, ((PSObject)first).Properties["n"].Value);
            Assert.True(stream.Position < body.Length / 10, "the first element should come after a small part of the body");
            int count = 1;
            while (reader.TryRead(out _)) count++;
            Assert.Equal(200, count);
            Assert.True(reader.IsArray);
        }

        [Fact]
        public void A_cut_off_body_is_reported_incomplete_after_the_complete_elements()
        {
            byte[] body = Encoding.UTF8.GetBytes("[{\"a\":1},{\"a\":2},{\"a\":");
            var reader = new JsonStreamReader<object>(new MemoryStream(body), JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out _));
            Assert.True(reader.TryRead(out _));
            var error = Assert.Throws<JsonIncompleteException>(() => reader.TryRead(out _));
            Assert.Equal(2, error.Values);
        }

        [Fact]
        public void An_object_body_gives_one_value_and_an_empty_body_none()
        {
            var one = new JsonStreamReader<object>(new MemoryStream(Encoding.UTF8.GetBytes(" {\"a\":1} \n")), JsonValueConverter.Default.ReadValue);
            Assert.True(one.TryRead(out object value));
            Assert.IsType<PSObject>(value);
            Assert.False(one.TryRead(out _));
            Assert.False(one.IsArray);

            var empty = new JsonStreamReader<object>(new MemoryStream(new byte[0]), JsonValueConverter.Default.ReadValue);
            Assert.False(empty.TryRead(out _));
            Assert.True(empty.WasEmpty);
        }

        [Theory]
        [InlineData("<html><body>Bad gateway</body></html>")]
        [InlineData("[{\"a\":1}] trailing")]
        [InlineData("[{\"a\":1}{\"b\":2}]")]
        public void Malformed_bodies_are_invalid_json(string text)
        {
            var reader = new JsonStreamReader<object>(new MemoryStream(Encoding.UTF8.GetBytes(text)), JsonValueConverter.Default.ReadValue);
            Assert.Throws<JsonInvalidException>(() => { while (reader.TryRead(out _)) { } });
        }

        [Fact]
        public void Invalid_utf8_is_invalid_json_not_a_crash()
        {
            byte[] body = { (byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']' };
            var reader = new JsonStreamReader<object>(new MemoryStream(body), JsonValueConverter.Default.ReadValue);
            Assert.Throws<JsonInvalidException>(() => reader.TryRead(out _));
        }

        [Fact]
        public void One_value_larger_than_the_buffer_is_read_whole()
        {
            string big = new string('y', 3 * 1024 * 1024);
            byte[] body = Encoding.UTF8.GetBytes("[{\"s\":\"" + big + "\"}]");
            var reader = new JsonStreamReader<object>(new MemoryStream(body), JsonValueConverter.Default.ReadValue);
            Assert.True(reader.TryRead(out object value));
            Assert.Equal(big.Length, ((string)((PSObject)value).Properties["s"].Value).Length);
        }
    }
}
