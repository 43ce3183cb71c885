using System.Security.Cryptography;

namespace Mesh.Core.Cryptography;

/// <summary>The digest algorithms the Mesh uses, by Mesh identifier (S256, S512, S3256, S3512).</summary>
public static class Digest
{
    public static int Length(string algorithm) => algorithm switch
    {
        MeshAlgorithms.Sha2_256 or MeshAlgorithms.Sha3_256 => 32,
        MeshAlgorithms.Sha2_512 or MeshAlgorithms.Sha3_512 => 64,
        _ => throw Unknown(algorithm),
    };

    public static byte[] Compute(string algorithm, ReadOnlySpan<byte> data)
    {
        var output = new byte[Length(algorithm)];
        Compute(algorithm, data, output);
        return output;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Compute(string algorithm, ReadOnlySpan<byte> data, Span<byte> destination) => algorithm switch
    {
        MeshAlgorithms.Sha2_256 => SHA256.HashData(data, destination),
        MeshAlgorithms.Sha2_512 => SHA512.HashData(data, destination),
        MeshAlgorithms.Sha3_256 => Sha3(data, destination, 256),
        MeshAlgorithms.Sha3_512 => Sha3(data, destination, 512),
        _ => throw Unknown(algorithm),
    };

    /// <summary>Hashes a stream (files) without reading it whole into memory.</summary>
    public static byte[] Compute(string algorithm, Stream data) => algorithm switch
    {
        MeshAlgorithms.Sha2_256 => SHA256.HashData(data),
        MeshAlgorithms.Sha2_512 => SHA512.HashData(data),
        MeshAlgorithms.Sha3_256 => RequireSha3() ? SHA3_256.HashData(data) : [],
        MeshAlgorithms.Sha3_512 => RequireSha3() ? SHA3_512.HashData(data) : [],
        _ => throw Unknown(algorithm),
    };

    static int Sha3(ReadOnlySpan<byte> data, Span<byte> destination, int bits)
    {
        RequireSha3();
        return bits == 256 ? SHA3_256.HashData(data, destination) : SHA3_512.HashData(data, destination);
    }

    static bool RequireSha3()
    {
        // .NET delegates SHA-3 to OpenSSL (1.1.1+ on Linux); say so plainly instead of PlatformNotSupported.
        if (!SHA3_512.IsSupported) throw new MeshCryptoException("SHA-3 is not supported by this platform's crypto library");
        return true;
    }

    static MeshCryptoException Unknown(string algorithm) =>
        new($"unknown digest algorithm '{algorithm}' (expected S256, S512, S3256 or S3512)");
}
