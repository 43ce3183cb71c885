using System.Collections.Frozen;
using Grpc.Core;

namespace Mesh.Gateway.Dispatch;

/// <summary>
/// gRPC status of a failed service call → Mesh Status (which the HTTP status mirrors), in one
/// place (docs/wire-binding.md, "Status mapping").
/// </summary>
public static class StatusMapping
{
    public static readonly FrozenDictionary<StatusCode, int> MeshStatus = new Dictionary<StatusCode, int>
    {
        [StatusCode.InvalidArgument] = 400,
        [StatusCode.OutOfRange] = 400,
        [StatusCode.Unauthenticated] = 401,
        [StatusCode.PermissionDenied] = 403,
        [StatusCode.NotFound] = 404,
        [StatusCode.AlreadyExists] = 409,
        [StatusCode.Aborted] = 409,
        [StatusCode.FailedPrecondition] = 412,
        [StatusCode.ResourceExhausted] = 429,
        [StatusCode.Cancelled] = 499,
        [StatusCode.Unimplemented] = 501,
        [StatusCode.Unavailable] = 503,
        [StatusCode.DeadlineExceeded] = 504,
        [StatusCode.Unknown] = 500,
        [StatusCode.Internal] = 500,
        [StatusCode.DataLoss] = 500,
    }.ToFrozenDictionary();

    public static int ToMeshStatus(StatusCode code) => MeshStatus.GetValueOrDefault(code, 500);

    /// <summary>The HTTP status that mirrors a payload Status; statuses outside 200-599 leave HTTP at 200.</summary>
    public static int ToHttpStatus(long? meshStatus) => meshStatus is >= 200 and <= 599 ? (int)meshStatus.Value : 200;
}
