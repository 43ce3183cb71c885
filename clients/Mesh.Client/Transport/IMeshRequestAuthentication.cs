using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Client.Transport;

/// <summary>
/// How a request envelope is authenticated to the service (DESIGN §4): Null (Hello only),
/// Device (signed by the device key; BindAccount, Connect), Profile (device key plus its
/// connection assertion) and Ticket (a MAC under a session key the service issued). Only Null is
/// implemented here; Device, Profile and Ticket implement this interface once the gateway's
/// authentication bytes are fixed in docs/wire-binding.md.
/// </summary>
public interface IMeshRequestAuthentication
{
    /// <summary>The mode's name as docs/wire-binding.md spells it.</summary>
    string Mode { get; }

    /// <summary>Whether this mode may carry <paramref name="request"/> (Null carries only Hello).</summary>
    bool Permits(MeshRequest request);

    /// <summary>Wraps the serialized request payload in the envelope sent as the HTTP body.</summary>
    DareEnvelope Seal(byte[] payload);
}

/// <summary>No authentication: a plain envelope around the payload. The service accepts it for Hello only.</summary>
public sealed class NullAuthentication : IMeshRequestAuthentication
{
    public static readonly NullAuthentication Instance = new();

    public string Mode => "Null";

    public bool Permits(MeshRequest request) => request is HelloRequest;

    public DareEnvelope Seal(byte[] payload) => DareEnvelope.Encode(payload, new DareEnvelopeOptions());
}
