using System.Collections.Frozen;
using Grpc.Core;
using Mesh.Common.V1;
using Mesh.Core.Schema;

namespace Mesh.Gateway.Dispatch;

/// <summary>
/// One Mesh transaction: its request type, the authentication it needs, and the generated client
/// call that serves it (null while no service serves it yet).
/// </summary>
public sealed record Transaction(
    string Name, Type Request, AuthenticationMode Required,
    Func<GatewayBackends, MeshCall, CallOptions, Task<MeshReply>>? Invoke);

/// <summary>The dispatch table: request tag (as a schema type, so every accepted spelling maps) → transaction.</summary>
public static class TransactionTable
{
    public static readonly IReadOnlyList<Transaction> All =
    [
        new("Hello", typeof(HelloRequest), AuthenticationMode.Null,
            (b, call, options) => b.Account.CallAsync((c, o) => c.HelloAsync(call, o).ResponseAsync, options)),
        // Protocol -09 §5.3.2: device authentication to create an account or connect to one.
        new("BindAccount", typeof(BindRequest), AuthenticationMode.Device,
            (b, call, options) => b.Account.CallAsync((c, o) => c.BindAccountAsync(call, o).ResponseAsync, options)),
        new("Connect", typeof(ConnectRequest), AuthenticationMode.Device, null),
        new("Complete", typeof(CompleteRequest), AuthenticationMode.Device, null),
        new("PollClaim", typeof(PollClaimRequest), AuthenticationMode.Device, null),
        // Everything that acts on an account needs its profile (or a ticket obtained with it).
        new("UnbindAccount", typeof(UnbindRequest), AuthenticationMode.Profile,
            (b, call, options) => b.Account.CallAsync((c, o) => c.UnbindAccountAsync(call, o).ResponseAsync, options)),
        new("Status", typeof(StatusRequest), AuthenticationMode.Profile,
            (b, call, options) => b.Sync.CallAsync((c, o) => c.StatusAsync(call, o).ResponseAsync, options)),
        new("Download", typeof(DownloadRequest), AuthenticationMode.Profile,
            (b, call, options) => b.Sync.CallAsync((c, o) => c.DownloadAsync(call, o).ResponseAsync, options)),
        new("Transact", typeof(TransactRequest), AuthenticationMode.Profile,
            (b, call, options) => b.Sync.CallAsync((c, o) => c.TransactAsync(call, o).ResponseAsync, options)),
        new("Post", typeof(PostRequest), AuthenticationMode.Profile, null),
        new("Claim", typeof(ClaimRequest), AuthenticationMode.Profile, null),
        new("Operate", typeof(OperateRequest), AuthenticationMode.Profile, null),
    ];

    private static readonly FrozenDictionary<Type, Transaction> ByRequest = All.ToFrozenDictionary(t => t.Request);

    public static Transaction? Find(MeshRequest request) => ByRequest.GetValueOrDefault(request.GetType());
}
