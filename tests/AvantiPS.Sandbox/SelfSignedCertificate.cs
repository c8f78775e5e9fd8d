using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AvantiPS.Sandbox;

/// <summary>A certificate no client trusts: for proving that AvantiPS validates certificates.</summary>
static class SelfSignedCertificate
{
    /// <summary>The https address of the sandbox, once listening.</summary>
    public static string HttpsUrl { get; set; }

    public static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
