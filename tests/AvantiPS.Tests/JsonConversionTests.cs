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
