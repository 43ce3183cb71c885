namespace Mesh.Grpc.Protocol;

/// <summary>Names and fixed values of the gRPC over HTTP/2 protocol (grpc/doc/PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string ProtoContentType = "application/grpc+proto";

    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";
    public const string TeTrailers = "trailers";

    /// <summary>The message encodings this transport reads; it always writes identity.</summary>
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";
    public const string DeflateEncoding = "deflate";
    public const string SupportedEncodings = "identity,gzip,deflate";

    /// <summary>Compressed flag (1 byte) plus message length (4 bytes, big-endian).</summary>
    public const int MessageHeaderSize = 5;

    /// <summary>Default receive limit, the same as other gRPC implementations use.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>application/grpc, optionally followed by +proto (or another subtype) and parameters.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)) return false;
        if (contentType.Length == ContentType.Length) return true;
        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    public static bool IsSupportedEncoding(string? encoding) =>
        encoding is null or IdentityEncoding or GzipEncoding or DeflateEncoding;

    /// <summary>Headers the transport itself sets or reads; they are not passed on as call metadata.</summary>
    public static bool IsTransportHeader(string name) =>
        name.StartsWith(':')
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TeHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase);
}
