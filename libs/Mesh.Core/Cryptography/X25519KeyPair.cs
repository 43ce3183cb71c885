using Mesh.Core.Cryptography.Native;

namespace Mesh.Core.Cryptography;

/// <summary>X25519 (RFC 7748) through libsodium; the private key is the 32-byte scalar.</summary>
public sealed class X25519KeyPair : AgreementKeyPair
{
    internal X25519KeyPair(byte[] publicKey, byte[]? scalar) : base(publicKey, scalar) { }

    public override string Algorithm => MeshAlgorithms.X25519;

    internal static unsafe X25519KeyPair FromScalar(ReadOnlySpan<byte> scalar)
    {
        var publicKey = new byte[Sodium.X25519Bytes];
        fixed (byte* q = publicKey)
        fixed (byte* n = scalar)
        {
            if (Sodium.crypto_scalarmult_base(q, n) != 0) throw new MeshCryptoException("X25519 key generation failed");
        }
        return new X25519KeyPair(publicKey, scalar.ToArray());
    }

    public override unsafe byte[] Agree(ReadOnlySpan<byte> publicKey)
    {
        CheckPeer(publicKey);
        var shared = new byte[Sodium.X25519Bytes];
        var scalar = PrivateSpan;
        fixed (byte* q = shared)
        fixed (byte* n = scalar)
        fixed (byte* p = publicKey)
        {
            // libsodium returns -1 when the result is all zero (low-order point).
            if (Sodium.crypto_scalarmult(q, n, p) != 0)
            {
                throw new MeshCryptoException("X25519 agreement produced the all-zero secret (low-order peer key)");
            }
        }
        return shared;
    }
}
