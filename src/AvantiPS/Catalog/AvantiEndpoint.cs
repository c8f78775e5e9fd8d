using System;
using System.Collections.Generic;
using System.Linq;

namespace AvantiPS.Catalog
{
    /// <summary>One operation of the Avanti API, as the catalog knows it (facts only, from main.v1.json).</summary>
    public sealed class AvantiEndpoint
    {
        internal AvantiEndpoint(string name, string method, string path, string summary, string tag,
            IReadOnlyList<string> pathParameters, IReadOnlyList<AvantiEndpointParameter> queryParameters,
            bool hasBody, bool changesData, bool isBinary, EndpointPaging paging = EndpointPaging.None, string pageItems = null, string pageTotal = null)
        {
            Name = name;
            Method = method;
            Path = path;
            Summary = summary;
            Tag = tag;
            PathParameters = pathParameters.ToArray();
            QueryParameters = queryParameters.ToArray();
            HasBody = hasBody;
            ChangesData = changesData;
            IsBinary = isBinary;
            Paging = paging;
            PageItemsProperty = pageItems;
            PageTotalProperty = pageTotal;
        }

        /// <summary>Avanti's operation ID, e.g. Get-Employee-Personal-Info.</summary>
        public string Name { get; }

        /// <summary>GET, PUT, POST or DELETE.</summary>
        public string Method { get; }

        /// <summary>The path relative to the API base; templates such as /v1/Reporter/{id} name their path parameters.</summary>
        public string Path { get; }

        public string Summary { get; }

        /// <summary>The group the operation belongs to in Avanti's documentation.</summary>
        public string Tag { get; }

        public string[] PathParameters { get; }

        public AvantiEndpointParameter[] QueryParameters { get; }

        /// <summary>Whether the operation takes a request body.</summary>
        public bool HasBody { get; }

        /// <summary>Whether the operation changes data (every PUT and DELETE, and POSTs other than the read-only queries).</summary>
        public bool ChangesData { get; }

        /// <summary>Whether a successful answer is binary content (a PDF, a photo, a logo) rather than JSON.</summary>
        public bool IsBinary { get; }

        /// <summary>How the operation pages (skip and take in the query or in the body), so -All can read every page.</summary>
        public EndpointPaging Paging { get; }

        /// <summary>For an answer that is an object, the property holding a page's items (employees); null when the answer is the array itself.</summary>
        public string PageItemsProperty { get; }

        /// <summary>The answer's property holding the total count (total), when it has one.</summary>
        public string PageTotalProperty { get; }

        /// <summary>True when Invoke-AvantiEndpoint -All can read every page of the operation.</summary>
        public bool CanPage => Paging == EndpointPaging.Query || Paging == EndpointPaging.Body;

        /// <summary>True when sending the operation twice cannot change data twice, so the pipeline may retry it.</summary>
        public bool IsRetrySafe => !ChangesData || !string.Equals(Method, "POST", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Method + " " + Path;
    }

    /// <summary>How an operation pages, from Avanti's OpenAPI document.</summary>
    public enum EndpointPaging
    {
        /// <summary>The operation answers everything at once.</summary>
        None,

        /// <summary>skip and take are query parameters.</summary>
        Query,

        /// <summary>skip and take are properties of the JSON request body (POST /v1/Employees).</summary>
        Body,

        /// <summary>Only take (no skip): the first items, and no way to ask for the next ones.</summary>
        TakeOnly,
    }

    /// <summary>A query parameter of an operation.</summary>
    public sealed class AvantiEndpointParameter
    {
        internal AvantiEndpointParameter(string name, string type, bool required)
        {
            Name = name;
            Type = type;
            Required = required;
        }

        public string Name { get; }

        /// <summary>The OpenAPI type or format: string, int32, boolean, date-time, string[]...</summary>
        public string Type { get; }

        public bool Required { get; }

        public override string ToString() => Name;
    }
}
