using System.Security.Cryptography;

namespace Mesh.Core.Cryptography;

/// <summary>
/// A public key with, optionally, its private half. Private material is held in an array
/// that <see cref="Dispose"/> zeroes; the public key is safe to share.
/// </summary>
public abstract class KeyPair : IDisposable
{
    readonly byte[]? privateKey;
    bool disposed;

    private protected KeyPair(byte[] publicKey, byte[]? privateKey)
    {
        PublicKey = publicKey;
        this.privateKey = privateKey;
    }

    /// <summary>Curve name: <see cref="MeshAlgorithms.Ed25519"/>, Ed448, X25519 or X448.</summary>
    public abstract string Algorithm { get; }

    /// <summary>The raw public key (RFC 8032 / RFC 7748 encoding).</summary>
    public byte[] PublicKey { get; }

    public bool HasPrivate => privateKey is not null;

    /// <summary>
    /// A copy of the private key: the RFC 8032 seed for Ed25519/Ed448, the RFC 7748 scalar for
    /// X25519/X448. The caller owns (and should zero) the copy.
    /// </summary>
    public byte[] ExportPrivate() => PrivateSpan.ToArray();

    private protected ReadOnlySpan<byte> PrivateSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (privateKey is null) throw new MeshCryptoException($"{Algorithm} key has no private part");
            return privateKey;
        }
    }

    public static KeyPair Generate(string algorithm)
    {
        var alg = MeshAlgorithms.KeyAlgorithm(algorithm);
        var secret = RandomNumberGenerator.GetBytes(PrivateKeyLength(alg));
        try
        {
            return FromPrivate(alg, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Builds a key pair from its private key; <paramref name="privateKey"/> is copied.</summary>
    public static KeyPair FromPrivate(string algorithm, ReadOnlySpan<byte> privateKey)
    {
        var alg = MeshAlgorithms.KeyAlgorithm(algorithm);
        var expected = PrivateKeyLength(alg);
        if (privateKey.Length != expected)
        {
            throw new MeshCryptoException($"{alg} private key must be {expected} bytes, got {privateKey.Length}");
        }
        return alg switch
        {
            MeshAlgorithms.Ed25519 => Ed25519KeyPair.FromSeed(privateKey),
            MeshAlgorithms.Ed448 => Ed448KeyPair.FromSeed(privateKey),
            MeshAlgorithms.X25519 => X25519KeyPair.FromScalar(privateKey),
            _ => X448KeyPair.FromScalar(privateKey),
        };
    }

    /// <summary>Builds a public-only key; <paramref name="publicKey"/> is copied.</summary>
    public static KeyPair FromPublic(string algorithm, ReadOnlySpan<byte> publicKey)
    {
        var alg = MeshAlgorithms.KeyAlgorithm(algorithm);
        var expected = PublicKeyLength(alg);
        if (publicKey.Length != expected)
        {
            throw new MeshCryptoException($"{alg} public key must be {expected} bytes, got {publicKey.Length}");
        }
        var copy = publicKey.ToArray();
        return alg switch
        {
            MeshAlgorithms.Ed25519 => new Ed25519KeyPair(copy, null),
            MeshAlgorithms.Ed448 => Ed448KeyPair.FromPublicKey(copy),
            MeshAlgorithms.X25519 => new X25519KeyPair(copy, null),
            _ => new X448KeyPair(copy, null),
        };
    }

    public static int PrivateKeyLength(string algorithm) => MeshAlgorithms.KeyAlgorithm(algorithm) switch
    {
        MeshAlgorithms.Ed25519 => 32,
        MeshAlgorithms.Ed448 => 57,
        MeshAlgorithms.X25519 => 32,
        _ => 56,
    };

    public static int PublicKeyLength(string algorithm) => PrivateKeyLength(algorithm);

    /// <summary>A public-only copy of this key.</summary>
    public KeyPair PublicOnly() => FromPublic(Algorithm, PublicKey);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (privateKey is not null) CryptographicOperations.ZeroMemory(privateKey);
        DisposePrivate();
        GC.SuppressFinalize(this);
    }

    /// <summary>Lets a subclass clear expanded private material it caches.</summary>
    private protected virtual void DisposePrivate() { }
}

/// <summary>A key pair that signs (Ed25519, Ed448): pure EdDSA over the message bytes.</summary>
public abstract class SignatureKeyPair : KeyPair
{
    private protected SignatureKeyPair(byte[] publicKey, byte[]? privateKey) : base(publicKey, privateKey) { }

    public abstract int SignatureLength { get; }

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureLength];
        Sign(message, signature);
        return signature;
    }

    /// <summary>Writes the signature into <paramref name="signature"/> (exactly <see cref="SignatureLength"/> bytes).</summary>
    public abstract void Sign(ReadOnlySpan<byte> message, Span<byte> signature);

    /// <summary>True when <paramref name="signature"/> is valid for <paramref name="message"/>; malformed signatures are false.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    private protected void CheckSignatureBuffer(Span<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            throw new MeshCryptoException($"{Algorithm} signature buffer must be {SignatureLength} bytes, got {signature.Length}");
        }
    }
}

/// <summary>A key pair for Diffie-Hellman agreement (X25519, X448).</summary>
public abstract class AgreementKeyPair : KeyPair
{
    private protected AgreementKeyPair(byte[] publicKey, byte[]? privateKey) : base(publicKey, privateKey) { }

    /// <summary>
    /// The raw shared secret with <paramref name="publicKey"/> (RFC 7748 output). An all-zero
    /// result (a low-order peer key) is refused.
    /// </summary>
    public abstract byte[] Agree(ReadOnlySpan<byte> publicKey);

    /// <summary>The raw shared secret with another key of the same algorithm.</summary>
    public byte[] Agree(KeyPair other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Algorithm != Algorithm)
        {
            throw new MeshCryptoException($"cannot agree a {Algorithm} key with a {other.Algorithm} key");
        }
        return Agree(other.PublicKey);
    }

    private protected void CheckPeer(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKey.Length)
        {
            throw new MeshCryptoException($"{Algorithm} peer public key must be {PublicKey.Length} bytes, got {publicKey.Length}");
        }
    }

    private protected void RefuseZero(byte[] shared)
    {
        var zero = true;
        foreach (var b in shared) zero &= b == 0;
        if (zero) throw new MeshCryptoException($"{Algorithm} agreement produced the all-zero secret (low-order peer key)");
    }
}
