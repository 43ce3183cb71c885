using System.Security.Cryptography;
using Mesh.Core.Cryptography.Native;

namespace Mesh.Core.Cryptography;

/// <summary>Ed25519 (RFC 8032) through libsodium; the private key is the 32-byte seed.</summary>
public sealed class Ed25519KeyPair : SignatureKeyPair
{
    // libsodium's 64-byte secret key (seed || public key), kept so signing does not re-derive it.
    readonly byte[]? expanded;

    internal Ed25519KeyPair(byte[] publicKey, byte[]? seed, byte[]? expanded = null) : base(publicKey, seed)
    {
        this.expanded = expanded;
    }

    public override string Algorithm => MeshAlgorithms.Ed25519;

    public override int SignatureLength => Sodium.Ed25519SignatureBytes;

    internal static unsafe Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[Sodium.Ed25519PublicKeyBytes];
        var expanded = new byte[Sodium.Ed25519SecretKeyBytes];
        fixed (byte* pk = publicKey)
        fixed (byte* sk = expanded)
        fixed (byte* s = seed)
        {
            if (Sodium.crypto_sign_seed_keypair(pk, sk, s) != 0) throw new MeshCryptoException("Ed25519 key generation failed");
        }
        return new Ed25519KeyPair(publicKey, seed.ToArray(), expanded);
    }

    public override unsafe void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        CheckSignatureBuffer(signature);
        _ = PrivateSpan; // throws when public-only or disposed
        fixed (byte* sig = signature)
        fixed (byte* m = message)
        fixed (byte* sk = expanded)
        {
            ulong length;
            if (Sodium.crypto_sign_detached(sig, &length, m, (ulong)message.Length, sk) != 0)
            {
                throw new MeshCryptoException("Ed25519 signing failed");
            }
        }
    }

    public override unsafe bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength) return false;
        fixed (byte* sig = signature)
        fixed (byte* m = message)
        fixed (byte* pk = PublicKey)
        {
            return Sodium.crypto_sign_verify_detached(sig, m, (ulong)message.Length, pk) == 0;
        }
    }

    private protected override void DisposePrivate()
    {
        if (expanded is not null) CryptographicOperations.ZeroMemory(expanded);
    }
}
