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
            bool hasBody, bool changesData, bool isBinary)
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

        /// <summary>True when sending the operation twice cannot change data twice, so the pipeline may retry it.</summary>
        public bool IsRetrySafe => !ChangesData || !string.Equals(Method, "POST", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Method + " " + Path;
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
