using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Client.Transport;

/// <summary>What the client knows about the service when it seals a request: the audience and, over plain HTTP, the key to encrypt to.</summary>
public sealed record MeshRequestContext(string ServiceUdf, IDareRecipientKey? EncryptTo);

/// <summary>
/// How a request envelope is authenticated to the service (ADR 0005, docs/wire-binding.md
/// "Authentication"): Null (Hello only), Device (signed by the device key; BindAccount, Connect),
/// Profile (device key plus its connection assertion) and Ticket (a MAC under a session key the
/// service issued).
/// </summary>
public interface IMeshRequestAuthentication
{
    /// <summary>The mode's name as docs/wire-binding.md spells it.</summary>
    string Mode { get; }

    /// <summary>Whether this mode may carry <paramref name="request"/> (Null carries only Hello).</summary>
    bool Permits(MeshRequest request);

    /// <summary>Wraps the serialized request payload in the envelope sent as the HTTP body.</summary>
    DareEnvelope Seal(byte[] payload, MeshRequestContext context);

    /// <summary>True when the answer carries a ResponseManifest (every mode but Null).</summary>
    bool ExpectsManifest => true;

    /// <summary>The device key that opens responses encrypted to it (plain HTTP).</summary>
    AgreementKeyPair? ResponseKey => null;

    /// <summary>Called with the verified manifest of each answer: a ticket grant arrives here.</summary>
    void Received(ResponseManifest manifest) { }

    /// <summary>Whether a refused request should be sent once more (a Ticket that expired falls back to Profile).</summary>
    bool RetryAfter(MeshResponse refusal) => false;
}

/// <summary>No authentication: a plain envelope around the payload. The service accepts it for Hello only.</summary>
public sealed class NullAuthentication : IMeshRequestAuthentication
{
    public static readonly NullAuthentication Instance = new();

    public string Mode => "Null";

    public bool ExpectsManifest => false;

    public bool Permits(MeshRequest request) => request is HelloRequest;

    public DareEnvelope Seal(byte[] payload, MeshRequestContext context) => DareEnvelope.Encode(payload, new DareEnvelopeOptions());
}
