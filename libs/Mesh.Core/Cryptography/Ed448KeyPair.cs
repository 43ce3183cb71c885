using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Mesh.Core.Cryptography;

/// <summary>Ed448 (RFC 8032, pure, empty context) through BouncyCastle; the private key is the 57-byte seed.</summary>
public sealed class Ed448KeyPair : SignatureKeyPair
{
    static readonly byte[] EmptyContext = [];

    // BouncyCastle takes arrays; this copy of the seed is zeroed on Dispose.
    readonly byte[]? seed;

    Ed448KeyPair(byte[] publicKey, byte[]? seed) : base(publicKey, seed?.ToArray())
    {
        this.seed = seed;
    }

    public override string Algorithm => MeshAlgorithms.Ed448;

    public override int SignatureLength => Ed448.SignatureSize;

    internal static Ed448KeyPair FromSeed(ReadOnlySpan<byte> privateKey)
    {
        var seed = privateKey.ToArray();
        var publicKey = new byte[Ed448.PublicKeySize];
        Ed448.GeneratePublicKey(seed, 0, publicKey, 0);
        return new Ed448KeyPair(publicKey, seed);
    }

    internal static Ed448KeyPair FromPublicKey(byte[] publicKey) => new(publicKey, null);

    public override void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CheckSignatureBuffer(signature);
        _ = PrivateSpan;
        var m = message.ToArray();
        var sig = new byte[Ed448.SignatureSize];
        Ed448.Sign(seed!, 0, PublicKey, 0, EmptyContext, m, 0, m.Length, sig, 0);
        sig.CopyTo(signature);
    }

    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength) return false;
        var m = message.ToArray();
        try
        {
            return Ed448.Verify(signature.ToArray(), 0, PublicKey, 0, EmptyContext, m, 0, m.Length);
        }
        catch (ArgumentException)
        {
            return false; // a public key that is not a curve point
        }
    }

    private protected override void DisposePrivate()
    {
        if (seed is not null) CryptographicOperations.ZeroMemory(seed);
    }
}
