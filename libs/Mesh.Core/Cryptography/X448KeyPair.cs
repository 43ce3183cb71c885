using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Mesh.Core.Cryptography;

/// <summary>X448 (RFC 7748) through BouncyCastle; the private key is the 56-byte scalar.</summary>
public sealed class X448KeyPair : AgreementKeyPair
{
    readonly byte[]? scalar;

    internal X448KeyPair(byte[] publicKey, byte[]? scalar) : base(publicKey, scalar?.ToArray())
    {
        this.scalar = scalar;
    }

    public override string Algorithm => MeshAlgorithms.X448;

    internal static X448KeyPair FromScalar(ReadOnlySpan<byte> privateKey)
    {
        var scalar = privateKey.ToArray();
        var publicKey = new byte[X448.PointSize];
        X448.ScalarMultBase(scalar, 0, publicKey, 0);
        return new X448KeyPair(publicKey, scalar);
    }

    public override byte[] Agree(ReadOnlySpan<byte> publicKey)
    {
        CheckPeer(publicKey);
        _ = PrivateSpan;
        var shared = new byte[X448.PointSize];
        X448.ScalarMult(scalar!, 0, publicKey.ToArray(), 0, shared, 0);
        RefuseZero(shared);
        return shared;
    }

    private protected override void DisposePrivate()
    {
        if (scalar is not null) CryptographicOperations.ZeroMemory(scalar);
    }
}
