using Google.Protobuf;
using Grpc.Core;

namespace Mesh.Common.V1;

/// <summary>The one place that knows how the authenticated principal travels in gRPC metadata.</summary>
public partial class Principal
{
    public const string MetadataKey = "mesh-principal-bin";

    /// <summary>Adds this principal to outgoing call metadata (gateway side).</summary>
    public void AddTo(Metadata metadata) => metadata.Add(MetadataKey, this.ToByteArray());

    /// <summary>The principal of an incoming call, or null when the caller sent none (service side).</summary>
    public static Principal? From(Metadata metadata)
    {
        var entry = metadata.Get(MetadataKey);
        return entry is null ? null : Parser.ParseFrom(entry.ValueBytes);
    }
}
