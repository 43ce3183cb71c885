using System.Text;

namespace Mesh.Grpc.Protocol;

/// <summary>
/// grpc-message: the UTF-8 bytes of the status detail, percent-encoded except printable ASCII
/// other than '%' (PROTOCOL-HTTP2.md, "Status-Message").
/// </summary>
public static class GrpcStatusMessage
{
    public static string Encode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != '%') builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>Lenient, as the spec asks: a '%' not followed by two hex digits stays as it is; invalid UTF-8 becomes U+FFFD.</summary>
    public static string Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded)) return "";
        if (!encoded.Contains('%')) return encoded;
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && Uri.IsHexDigit(encoded[i + 1]) && Uri.IsHexDigit(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
