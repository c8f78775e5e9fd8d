namespace AvantiPS.Connections
{
    /// <summary>
    /// Which Avanti Self-Service Portal (ASSP) generation a company uses; it decides every URL the module builds.
    /// </summary>
    public enum UrlLayout
    {
        /// <summary>Latest ASSP: https://{tenant}.myavanti.ca/api, tokens from auth.myavanti.ca with an x-tenant header.</summary>
        Latest,

        /// <summary>Legacy ASSP: https://myavanti.ca/{tenant}-api, tokens from {API base}/connect/token.</summary>
        Legacy,
    }
}
