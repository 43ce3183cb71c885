using System.Net;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Mesh.Client.Tests.Transport;

/// <summary>
/// A service built directly on Mesh.Core (not on the client's helpers): self-signed ProfileService
/// and ProfileHost, and responses signed by the host's Signature key, as the gateway makes them.
/// </summary>
internal sealed class TestService : IDisposable
{
    public SignatureKeyPair ServiceProfileKey { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    public SignatureKeyPair HostProfileKey { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    public SignatureKeyPair HostSignatureKey { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    public AgreementKeyPair HostEncryptionKey { get; } = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X448);

    public static KeyData Describe(KeyPair key) => new()
    {
        Udf = Udf.KeyFingerprint(key),
        PublicParameters = new PublicKeyECDH { Curve = key.Algorithm, Public = key.PublicKey },
    };

    public static byte[] Signed(MeshItem item, SignatureKeyPair? key) =>
        DareEnvelope.Encode(MeshJson.Serialize(item), new DareEnvelopeOptions { Signers = key is null ? [] : [DareKeyPairs.Signer(key)] }).ToJson();

    static Enveloped AsEnveloped(byte[] envelopeJson) => System.Text.Json.JsonSerializer.Deserialize<Enveloped>(envelopeJson, MeshJson.Options)!;

    public byte[] HostProfile() => Signed(new ProfileHost { ProfileSignature = Describe(HostProfileKey), Signature = Describe(HostSignatureKey), Encryption = Describe(HostEncryptionKey) }, HostProfileKey);

    public byte[] ServiceProfile() => Signed(new ProfileService { ProfileSignature = Describe(ServiceProfileKey) }, ServiceProfileKey);

    public MeshHelloResponse HelloResponse(byte[]? hostProfile = null) => new()
    {
        Status = 201,
        StatusDescription = "Operation completed successfully",
        Version = new VersionInfo { Major = 3, Minor = 0, Encodings = [new Mesh.Core.Schema.Encoding { ID = ["application/json", "application/json-b"] }] },
        EnvelopedProfileService = AsEnveloped(ServiceProfile()),
        EnvelopedProfileHost = AsEnveloped(hostProfile ?? HostProfile()),
    };

    public void Dispose()
    {
        ServiceProfileKey.Dispose();
        HostProfileKey.Dispose();
        HostSignatureKey.Dispose();
        HostEncryptionKey.Dispose();
    }
}

/// <summary>An in-test HttpMessageHandler: records each request and answers with what the test gives.</summary>
internal sealed class RecordingHandler(Func<HttpRequestMessage, byte[], HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        return answer(request, body);
    }

    public static HttpResponseMessage Reply(byte[] body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new ByteArrayContent(body) };
}
