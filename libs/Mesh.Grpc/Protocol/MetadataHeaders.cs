using Grpc.Core;

namespace Mesh.Grpc.Protocol;

/// <summary>
/// Call metadata as HTTP/2 headers: text values as they are, "-bin" values as base64
/// (sent unpadded, read padded or unpadded; several values of one key may arrive comma-joined).
/// </summary>
public static class MetadataHeaders
{
    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    /// <summary>Adds the entries of one header to metadata; transport headers are left out.</summary>
    public static void AddHeader(Metadata metadata, string name, IEnumerable<string?> values)
    {
        if (GrpcProtocol.IsTransportHeader(name)) return;
        foreach (var value in values)
        {
            if (value is not null) AddValue(metadata, name, value);
        }
    }

    /// <summary>Adds one header value of a header that is not a transport header.</summary>
    public static void AddValue(Metadata metadata, string name, string value)
    {
        var key = name.ToLowerInvariant();
        if (key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.Ordinal))
        {
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                metadata.Add(key, DecodeBase64(key, part));
            }
        }
        else
        {
            metadata.Add(key, value);
        }
    }

    public static Metadata FromHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string?>>> headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers) AddHeader(metadata, name, values);
        return metadata;
    }

    static byte[] DecodeBase64(string key, string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException e)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Metadata '{key}' is not valid base64.", e));
        }
    }
}
