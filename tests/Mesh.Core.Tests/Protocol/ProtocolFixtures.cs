using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

using UdfCodec = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Protocol;

/// <summary>A device and an account made of fresh keys, as a client would present them.</summary>
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

internal sealed class TestAccount : IDisposable
{
    public TestAccount(string address) => Address = address;

    public string Address { get; }
    public SignatureKeyPair ProfileSignature { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
    public SignatureKeyPair Administrator { get; } = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);

    public string Udf => UdfCodec.KeyFingerprint(ProfileSignature);

    public ProfileUser Profile => new()
    {
        ProfileSignature = TestDevice.KeyData(ProfileSignature),
        AdministratorSignature = TestDevice.KeyData(Administrator),
        AccountAddress = Address,
    };

    /// <summary>The ConnectionDevice for <paramref name="device"/>, signed by <paramref name="signer"/> (the admin key unless given).</summary>
    public DareEnvelope Connect(TestDevice device, SignatureKeyPair? signer = null, string? address = null, KeyData? signature = null) =>
        TestDevice.SelfSigned(new ConnectionDevice
        {
            AuthorityUdf = Udf,
            SubjectUdf = device.Udf,
            AccountAddress = address ?? Address,
            Signature = signature ?? TestDevice.KeyData(device.Signature),
            Encryption = TestDevice.KeyData(device.Encryption),
        }, signer ?? Administrator);

    public void Dispose()
    {
        ProfileSignature.Dispose();
        Administrator.Dispose();
    }
}
