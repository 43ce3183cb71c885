using Grpc.Core;

namespace Mesh.Grpc.Protocol;

/// <summary>The status a client synthesizes from a non-200 HTTP response that carries no grpc-status (doc/http-grpc-status-mapping.md).</summary>
public static class HttpStatusMapping
{
    public static StatusCode ToStatusCode(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
