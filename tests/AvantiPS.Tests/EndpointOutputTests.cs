using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using AvantiPS.Endpoints;
using AvantiPS.Json;
using Xunit;

namespace AvantiPS.Tests
{
    public class EndpointOutputTests
    {
        [Theory]
        [InlineData("statement.pdf", "statement.pdf")]
        [InlineData("../../escaped.pdf", "escaped.pdf")]
        [InlineData("..\\..\\Windows\\evil.dll", "evil.dll")]
        [InlineData("/etc/passwd", "passwd")]
        [InlineData("C:report.csv", "Creport.csv")]
        [InlineData("a\u0000b?.txt", "ab.txt")]
        [InlineData("..", null)]
        [InlineData("dir/..", null)]
        [InlineData(" . ", null)]
        [InlineData("", null)]
        public void A_suggested_file_name_becomes_a_plain_name_or_nothing(string suggested, string expected)
        {
            Assert.Equal(expected, DownloadFile.SafeName(suggested));
        }

        [Fact]
        public void AsHashtable_gives_ordered_dictionaries_that_keep_keys_differing_in_case()
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("{\"b\":1,\"a\":{\"x\":[{\"y\":2}]},\"A\":3,\"\":4}"));
            reader.Read();
            var value = Assert.IsType<OrderedDictionary>(new JsonValueConverter(AvantiDateKind.AsSent, asHashtable: true).ReadValue(ref reader));
            Assert.Equal(new object[] { "b", "a", "A", "" }, new System.Collections.ArrayList(value.Keys).ToArray());
            Assert.Equal(3L, value["A"]);
            var nested = Assert.IsType<OrderedDictionary>(value["a"]);
            var item = Assert.IsType<OrderedDictionary>(((object[])nested["x"])[0]);
            Assert.Equal(2L, item["y"]);
        }
    }
}
