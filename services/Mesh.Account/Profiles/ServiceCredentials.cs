using Mesh.Core.Json;
using Mesh.Account.Storage;
using Mesh.Core.Dare;

namespace Mesh.Account.Profiles;

/// <summary>The service and host profiles this process answers with, once loaded at start-up.</summary>
public sealed class ServiceCredentials
{
    private volatile Loaded? _loaded;

    public sealed record Loaded(DareEnvelope Service, DareEnvelope Host, StoredKey HostSignature, StoredKey? HostEncryption = null)
    {
        /// <summary>
        /// The Hello answer as JSON, made once: it depends only on these profiles, and Hello is the
        /// request a service gets most (every client starts with it).
        /// </summary>
        public byte[] HelloResponse { get; } = MeshJson.Serialize(HelloResponder.Respond(Service, Host));
    }

    public Loaded? Current => _loaded;

    public string? Error { get; private set; }

    internal void Set(StoredProfile service, StoredProfile host)
    {
        var signature = host.Keys.SingleOrDefault(k => k.Usage == KeyUsages.Signature)
            ?? throw new InvalidOperationException("The stored host profile has no Signature key.");
        _loaded = new Loaded(DareEnvelope.Decode(service.Envelope), DareEnvelope.Decode(host.Envelope), signature,
            host.Keys.SingleOrDefault(k => k.Usage == KeyUsages.Encryption));
        Error = null;
    }

    internal void Fail(string error) => Error = error;
}
