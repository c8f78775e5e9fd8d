using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AvantiPS.Catalog;
using Xunit;

namespace AvantiPS.Tests
{
    public class EndpointCatalogTests
    {
        static readonly string[] Methods = { "get", "put", "post", "delete", "patch" };

        static string FindDocument()
        {
            // ../shared/avanti-api/main.v1.json relative to the repository root, wherever the tests run from.
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AvantiPS.sln")))
                {
                    string document = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "avanti-api", "main.v1.json"));
                    return File.Exists(document) ? document : null;
                }
            }
            return null;
        }

        [Fact]
        public void EmbeddedCatalogAgreesWithAvantisDocument()
        {
            string path = FindDocument();
            if (path == null)
            {
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must have ../shared/avanti-api/main.v1.json.");
                return;
            }
            EndpointCatalog catalog = EndpointCatalog.Default;
            using (JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                int count = 0;
                foreach (JsonProperty item in document.RootElement.GetProperty("paths").EnumerateObject())
                {
                    foreach (JsonProperty op in item.Value.EnumerateObject().Where(p => Methods.Contains(p.Name)))
                    {
                        count++;
                        AvantiEndpoint entry = catalog.Operations.SingleOrDefault(o => o.Path == item.Name && o.Method == op.Name.ToUpperInvariant());
                        Assert.True(entry != null, op.Name.ToUpperInvariant() + " " + item.Name + " is missing from the catalog; run ./build.ps1 -Task Catalog.");
                        Assert.Equal(op.Value.GetProperty("operationId").GetString(), entry.Name);
                        string[] query = Parameters(item.Value).Concat(Parameters(op.Value))
                            .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToArray();
                        Assert.Equal(query, entry.QueryParameters.Select(p => p.Name).ToArray());
                        Assert.Equal(op.Value.TryGetProperty("requestBody", out _), entry.HasBody);
                        // Paging in the query: skip and take both documented; take alone cannot page.
                        bool skipAndTake = query.Contains("skip") && query.Contains("take");
                        Assert.Equal(skipAndTake, entry.Paging == EndpointPaging.Query);
                        Assert.Equal(!skipAndTake && query.Contains("take"), entry.Paging == EndpointPaging.TakeOnly);
                    }
                }
                Assert.Equal(124, count);
                Assert.Equal(count, catalog.Operations.Count);
            }
        }

        [Fact]
        public void IntegerQueryParametersAreTypedAsIntegersAlsoThroughSharedSchemas()
        {
            string path = FindDocument();
            if (path == null)
            {
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must have ../shared/avanti-api/main.v1.json.");
                return;
            }
            using (JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                JsonElement schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
                int integers = 0;
                foreach (JsonProperty item in document.RootElement.GetProperty("paths").EnumerateObject())
                {
                    foreach (JsonProperty op in item.Value.EnumerateObject().Where(p => Methods.Contains(p.Name)))
                    {
                        AvantiEndpoint entry = EndpointCatalog.Default.Find(op.Name.ToUpperInvariant(), item.Name);
                        foreach (JsonElement parameter in Parameters(item.Value).Concat(Parameters(op.Value)).Where(p => p.GetProperty("in").GetString() == "query"))
                        {
                            JsonElement schema = parameter.GetProperty("schema");
                            if (schema.TryGetProperty("$ref", out JsonElement reference))
                            {
                                schema = schemas.GetProperty(reference.GetString().Split('/').Last());
                            }
                            if (schema.GetProperty("type").GetString() != "integer") continue;
                            integers++;
                            string type = entry.QueryParameters.Single(p => p.Name == parameter.GetProperty("name").GetString()).Type;
                            Assert.True(type == "int32" || type == "int64" || type == "integer", op.Name + " " + item.Name + " " + parameter.GetProperty("name").GetString() + " is typed " + type);
                        }
                    }
                }
                Assert.True(integers > 30);
            }
            Assert.Equal("int32", EndpointCatalog.Default.Find("GET", "/v1/TimeManagement/PooledRequests").QueryParameters.Single(p => p.Name == "postType").Type);
            Assert.Equal("int32", EndpointCatalog.Default.Find("GET", "/v1/TimeManagement/PickupRequests").QueryParameters.Single(p => p.Name == "requestType").Type);
        }

        static JsonElement[] Parameters(JsonElement element) =>
            element.TryGetProperty("parameters", out JsonElement list) ? list.EnumerateArray().ToArray() : new JsonElement[0];

        [Fact]
        public void PagingOperationsAreThoseThatTakeSkipAndTake()
        {
            string[] paged = EndpointCatalog.Default.Operations.Where(o => o.CanPage).Select(o => o.ToString()).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[]
            {
                "GET /v1/GLAccounts", "GET /v1/GLProjectAccounts", "GET /v1/PayCodesWithDetails", "GET /v1/PayStatements",
                "GET /v1/TimeManagement/{viewId}/{templateId}", "POST /v1/Employees",
            }, paged);
            AvantiEndpoint employees = EndpointCatalog.Default.Find("POST", "/v1/Employees");
            Assert.Equal(EndpointPaging.Body, employees.Paging);
            Assert.Equal("employees", employees.PageItemsProperty);
            Assert.Equal("total", employees.PageTotalProperty);
            Assert.Null(EndpointCatalog.Default.Find("GET", "/v1/GLAccounts").PageItemsProperty);
        }

        [Theory]
        [InlineData("/v1/Reporter/WageSample", "GET")]
        [InlineData("/v1/Reporter/{id}", "GET")]
        [InlineData("/v1/reporter", "POST")]
        [InlineData("/v1/TimeManagement/AvailableShifts", "GET")]
        public void MatchesTypedPathsAndTemplates(string path, string method)
        {
            var matches = EndpointCatalog.Default.Match(path);
            Assert.Equal(new[] { method }, matches.Select(m => m.Method).ToArray());
        }

        [Fact]
        public void ReadOnlyPostsAreRetrySafeAndChangingPostsAreNot()
        {
            Assert.True(EndpointCatalog.Default.Find("POST", "/v1/Employees").IsRetrySafe);
            Assert.False(EndpointCatalog.Default.Find("POST", "/v1/Employees").ChangesData);
            Assert.False(EndpointCatalog.Default.Find("POST", "/v1/NewHire").IsRetrySafe);
            Assert.True(EndpointCatalog.Default.Find("DELETE", "/v1/Dependents").ChangesData);
        }
    }
}
