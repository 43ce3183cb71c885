using System.Text.Json;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Account.Profiles;

/// <summary>The MeshHelloResponse of protocol -09 §7.1/§10.5 for this service.</summary>
public static class HelloResponder
{
    /// <summary>Largest message this service accepts in an update or a post (the 64 KB message limit).</summary>
    public const long MessageLimitBytes = 64 * 1024;

    /// <summary>Payload encodings accepted, as media types (docs/wire-binding.md).</summary>
    public static readonly IReadOnlyList<string> Encodings = [.. MeshMediaType.All.Select(m => m.Name)];

    /// <summary>Status of a successful Hello, as the seed's example response carries it.</summary>
    public const long SuccessStatus = 201;

    public static MeshHelloResponse Respond(DareEnvelope service, DareEnvelope host) => new()
    {
        Status = SuccessStatus,
        Version = new VersionInfo
        {
            Major = 3,
            Minor = 0,
            Encodings = Encodings.Select(id => new Encoding { ID = [id] }).ToList(),
        },
        EnvelopedProfileService = ToEnveloped(service),
        EnvelopedProfileHost = ToEnveloped(host),
        ConstraintsUpdate = new ConstraintsData { BytesMax = MessageLimitBytes },
        ConstraintsPost = new ConstraintsData { BytesMax = MessageLimitBytes },
        PolicyAccount = Domain.AccountPolicy.Advertised,
    };

    private static Enveloped ToEnveloped(DareEnvelope envelope) =>
        JsonSerializer.Deserialize<Enveloped>(envelope.ToJson(), MeshJson.Options)
        ?? throw new InvalidOperationException("envelope did not read back");
}
