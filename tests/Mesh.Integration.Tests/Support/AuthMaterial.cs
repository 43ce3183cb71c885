using System.Net.Http.Headers;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using UdfCodec = Mesh.Core.Udf.Udf;

namespace Mesh.Integration.Tests.Support;

/// <summary>A device with fresh keys: the self-signed ProfileDevice it presents.</summary>
internal sealed class TestDevice : IDisposable
{
    public SignatureKeyPair ProfileSignature { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
    public SignatureKeyPair Signature { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
    public AgreementKeyPair Encryption { get; } = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X25519);

    public string Udf => UdfCodec.KeyFingerprint(ProfileSignature);

    public DareEnvelope Profile => SelfSigned(new ProfileDevice
    {
        ProfileSignature = KeyData(ProfileSignature),
        Signature = KeyData(Signature),
        Encryption = KeyData(Encryption),
    }, ProfileSignature);

    public static KeyData KeyData(KeyPair key) => new()
    {
        Udf = UdfCodec.KeyFingerprint(key),
        PublicParameters = new PublicKeyECDH { Curve = key.Algorithm, Public = key.PublicKey.ToArray() },
    };

    public static DareEnvelope SelfSigned(MeshItem item, SignatureKeyPair key) =>
        DareEnvelope.Encode(MeshJson.Serialize(item), new DareEnvelopeOptions { Signers = [DareKeyPairs.Signer(key)] });

    public void Dispose()
    {
        ProfileSignature.Dispose();
        Signature.Dispose();
        Encryption.Dispose();
    }
}

/// <summary>A user account: its self-signed ProfileUser and the administration key that signs connections.</summary>
internal sealed class TestAccount(string address) : IDisposable
{
    public string Address { get; } = address;
    public SignatureKeyPair ProfileSignature { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
    public SignatureKeyPair Administrator { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);

    public string Udf => UdfCodec.KeyFingerprint(ProfileSignature);

    public DareEnvelope Profile => TestDevice.SelfSigned(new ProfileUser
    {
        ProfileSignature = TestDevice.KeyData(ProfileSignature),
        AdministratorSignature = TestDevice.KeyData(Administrator),
        AccountAddress = Address,
    }, ProfileSignature);

    public DareEnvelope Connect(TestDevice device, SignatureKeyPair? signer = null) =>
        TestDevice.SelfSigned(new ConnectionDevice
        {
            AuthorityUdf = Udf,
            SubjectUdf = device.Udf,
            AccountAddress = Address,
            Signature = TestDevice.KeyData(device.Signature),
            Encryption = TestDevice.KeyData(device.Encryption),
        }, signer ?? Administrator);

    public void Dispose()
    {
        ProfileSignature.Dispose();
        Administrator.Dispose();
    }
}

/// <summary>What a client learns from Hello that authentication needs: the audience and the host keys.</summary>
internal sealed record ServiceKeys(string ServiceUdf, ProfileHost Host)
{
    public IDareVerifier HostVerifier()
    {
        var ecdh = (PublicKeyECDH)Host.Signature!.PublicParameters!;
        return DareKeyPairs.Verifier((SignatureKeyPair)KeyPair.FromPublic(ecdh.Curve!, ecdh.Public!), Host.Signature.Udf);
    }

    public IDareRecipientKey HostEncryption()
    {
        var ecdh = (PublicKeyECDH)Host.Encryption!.PublicParameters!;
        return DareKeyPairs.Recipient((AgreementKeyPair)KeyPair.FromPublic(ecdh.Curve!, ecdh.Public!), Host.Encryption.Udf);
    }

    public static async Task<ServiceKeys> HelloAsync(HttpClient client)
    {
        var content = new ByteArrayContent(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/.well-known/mmm", content);
        var (_, payload) = MeshMessages.Open(await response.Content.ReadAsByteArrayAsync());
        var hello = (MeshHelloResponse)payload;
        return new ServiceKeys(hello.EnvelopedProfileService!.DecodePayload<ProfileService>().ProfileSignature!.Udf!,
            hello.EnvelopedProfileHost!.DecodePayload<ProfileHost>());
    }
}
