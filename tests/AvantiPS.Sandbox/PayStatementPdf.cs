using System.Security.Cryptography;
using System.Text;

namespace AvantiPS.Sandbox;

/// <summary>
/// The bytes GET /v1/PayStatements/PDF answers: a small but well-formed PDF that also
/// carries a binary stream (bytes above 0x7F), so a client that decodes the body as text
/// breaks the SHA-256 published at /_sandbox/info.
/// </summary>
public static class PayStatementPdf
{
    public static readonly byte[] Bytes = Build();

    public static readonly string Sha256 = Convert.ToHexString(SHA256.HashData(Bytes));

    private static byte[] Build()
    {
        var pdf = new MemoryStream();
        var offsets = new List<long>();

        void Ascii(string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
        void BeginObject(int number)
        {
            offsets.Add(pdf.Position);
            Ascii($"{number} 0 obj\n");
        }

        Ascii("%PDF-1.4\n");
        pdf.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);

        BeginObject(1);
        Ascii("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        BeginObject(2);
        Ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        BeginObject(3);
        Ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " +
              "/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>\nendobj\n");

        var content = "BT /F1 16 Tf 72 720 Td (Pay Statement - ABC Inc. \\(Sandbox\\)) Tj ET\n" +
                      "BT /F1 11 Tf 72 696 Td (Employee 000001005  Run 2002  Pay date 2025-01-15) Tj ET\n" +
                      "BT /F1 11 Tf 72 672 Td (Gross 2,884.62   Deductions 812.40   Net 2,072.22) Tj ET\n" +
                      "q 64 0 0 64 72 560 cm /Im1 Do Q\n";
        BeginObject(4);
        Ascii($"<< /Length {content.Length} >>\nstream\n{content}endstream\nendobj\n");
        BeginObject(5);
        Ascii("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");

        // A 32x32 RGB "logo" of deterministic pseudo-random pixels: 3,072 binary bytes.
        var pixels = new byte[32 * 32 * 3];
        uint state = 0xA5A5_2025;
        for (var i = 0; i < pixels.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            pixels[i] = (byte)(state >> 24);
        }
        BeginObject(6);
        Ascii($"<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceRGB " +
              $"/BitsPerComponent 8 /Length {pixels.Length} >>\nstream\n");
        pdf.Write(pixels);
        Ascii("\nendstream\nendobj\n");

        var xref = pdf.Position;
        Ascii($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Ascii($"{offset:D10} 00000 n \n");
        Ascii($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }
}
