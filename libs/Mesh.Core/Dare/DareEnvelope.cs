using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>Outcome of checking one signature.</summary>
public sealed record DareSignatureCheck(string? KeyIdentifier, string? Algorithm, bool Valid, string? Problem);

/// <summary>
/// Outcome of verifying an envelope: the payload digest recomputed from the payload bytes, whether
/// it equals the PayloadDigest carried, and each signature's result.
/// </summary>
public sealed record DareVerification(byte[] PayloadDigest, bool DigestMatches, IReadOnlyList<DareSignatureCheck> Signatures)
{
    /// <summary>Digest matches and there is at least one signature and every one is valid.</summary>
    public bool IsValid => DigestMatches && Signatures.Count > 0 && Signatures.All(s => s.Valid);

    public string? Problem => !DigestMatches ? "payload digest does not match the PayloadDigest in the trailer"
        : Signatures.Count == 0 ? "envelope carries no signature"
        : Signatures.FirstOrDefault(s => !s.Valid)?.Problem;
}

/// <summary>
/// A DARE envelope held in memory: header, payload as carried (ciphertext when encrypted) and
/// optional trailer. For large payloads use <see cref="DareEnvelopeWriter"/> and <see cref="DareEnvelopeReader"/>.
/// </summary>
public sealed class DareEnvelope
{
    public DareEnvelope(DareHeader header, byte[] payload, DareTrailer? trailer)
    {
        Header = header;
        Payload = payload;
        Trailer = trailer;
    }

    public DareHeader Header { get; }

    /// <summary>The payload octets as carried: what the digest and signatures cover.</summary>
    public byte[] Payload { get; }

    public DareTrailer? Trailer { get; }

    public bool IsEncrypted => Header.EncryptionAlgorithm is not null;

    /// <summary>The payload digest, from the trailer or else the header.</summary>
    public byte[]? CarriedDigest => Trailer?.PayloadDigest ?? Header.PayloadDigest;

    public IReadOnlyList<DareSignature> Signatures =>
        (IReadOnlyList<DareSignature>?)Trailer?.Signatures ?? Header.Signatures ?? [];

    public static DareEnvelope Encode(ReadOnlySpan<byte> plaintext, DareEnvelopeOptions options)
    {
        using var output = new MemoryStream();
        DareEnvelopeWriter.Encode(new MemoryStream(plaintext.ToArray(), writable: false), plaintext.Length, output, options, DareEncoding.JsonB);
        return Decode(output.ToArray());
    }

    /// <summary>Parses either serialization; the payload stays as carried (encrypted payloads are not decrypted).</summary>
    public static DareEnvelope Decode(ReadOnlySpan<byte> data, int maxHeaderBytes = 1 << 20)
    {
        using var payload = new MemoryStream();
        var bytes = data.ToArray();
        var result = DareEnvelopeReader.Read(new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true), payload,
            new DareReadOptions { RawPayload = true, MaxHeaderBytes = maxHeaderBytes });
        return new DareEnvelope(result.Header, payload.ToArray(), result.Trailer);
    }

    public byte[] ToBytes(DareEncoding encoding)
    {
        using var output = new MemoryStream();
        output.WriteByte((byte)'[');
        output.Write(Header.ToJson());
        output.WriteByte((byte)',');
        if (encoding == DareEncoding.JsonB)
        {
            JsonBData.WriteTag(output, Payload.Length);
            output.Write(Payload);
        }
        else
        {
            output.WriteByte((byte)'"');
            output.Write(System.Text.Encoding.ASCII.GetBytes(DareJson.EncodeBase64Url(Payload)));
            output.WriteByte((byte)'"');
        }
        if (Trailer is not null)
        {
            output.WriteByte((byte)',');
            output.Write(Trailer.ToJson());
        }
        output.WriteByte((byte)']');
        return output.ToArray();
    }

    public byte[] ToJson() => ToBytes(DareEncoding.Json);

    public byte[] ToJsonB() => ToBytes(DareEncoding.JsonB);

    /// <summary>Recomputes the payload digest and checks each signature with the key <paramref name="resolve"/> returns for it.</summary>
    public DareVerification Verify(Func<DareSignature, IDareVerifier?> resolve)
    {
        var digest = DareAlgorithms.Digest(Header.DigestAlgorithm ?? DareAlgorithms.Sha2_512, Payload);
        var carried = CarriedDigest;
        var matches = carried is not null && CryptographicOperations.FixedTimeEquals(carried, digest);
        var checks = new List<DareSignatureCheck>();
        foreach (var signature in Signatures)
        {
            checks.Add(Check(signature, digest, resolve));
        }
        return new DareVerification(digest, matches, checks);
    }

    /// <summary>As <see cref="Verify"/>, but throws <see cref="MeshCryptoException"/> naming the first problem.</summary>
    public DareVerification EnsureValid(Func<DareSignature, IDareVerifier?> resolve)
    {
        var result = Verify(resolve);
        if (!result.IsValid) throw new MeshCryptoException($"DARE envelope is not valid: {result.Problem}");
        return result;
    }

    static DareSignatureCheck Check(DareSignature signature, byte[] digest, Func<DareSignature, IDareVerifier?> resolve)
    {
        if (signature.SignatureValue is null)
            return new(signature.KeyIdentifier, signature.Algorithm, false, "signature has no value");
        var verifier = resolve(signature);
        if (verifier is null)
            return new(signature.KeyIdentifier, signature.Algorithm, false, $"no public key known for signer '{signature.KeyIdentifier}'");
        if (signature.KeyIdentifier is not null && verifier.KeyIdentifier != signature.KeyIdentifier)
            return new(signature.KeyIdentifier, signature.Algorithm, false,
                $"signer kid '{signature.KeyIdentifier}' does not match the key offered ({verifier.KeyIdentifier})");
        // The seed's Hello profiles write the digest id (S512) in alg; anything else must name the key's algorithm.
        if (signature.Algorithm is not null && signature.Algorithm != verifier.Algorithm && signature.Algorithm != DareAlgorithms.Sha2_512)
            return new(signature.KeyIdentifier, signature.Algorithm, false,
                $"signature algorithm '{signature.Algorithm}' does not match the {verifier.Algorithm} key");
        var valid = verifier.Verify(digest, signature.SignatureValue);
        return new(signature.KeyIdentifier, signature.Algorithm, valid,
            valid ? null : $"signature by '{signature.KeyIdentifier}' does not verify over the payload digest");
    }

    /// <summary>Decrypts (when encrypted) and returns the plaintext payload.</summary>
    public byte[] DecryptPayload(IReadOnlyList<IDareDecryptionKey> keys, DareKeyDerivation? derivation = null)
    {
        if (!IsEncrypted) return Payload.ToArray();
        using var cipher = DarePayloadCipher.ForDecoding(Header, keys, derivation ?? DareKeyDerivation.Specification);
        using var decryptor = cipher.CreateDecryptor();
        try
        {
            return decryptor.TransformFinalBlock(Payload, 0, Payload.Length);
        }
        catch (CryptographicException e)
        {
            throw new MeshCryptoException("payload does not decrypt: bad padding (wrong key or tampered ciphertext)", e);
        }
    }

    /// <summary>Plaintext annotations; encrypted ones need the keys that open the payload.</summary>
    public IReadOnlyList<byte[]> DecodeAnnotations(IReadOnlyList<IDareDecryptionKey>? keys = null, DareKeyDerivation? derivation = null)
    {
        if (Header.Annotations is null) return [];
        if (!IsEncrypted) return Header.Annotations.Select(a => DareEds.Decode(a).Body).ToList();
        using var cipher = DarePayloadCipher.ForDecoding(Header, keys ?? [], derivation ?? DareKeyDerivation.Specification);
        return Header.Annotations.Select(a => DareEds.Decrypt(a, cipher.MasterKey, cipher.Salt, cipher.Derivation)).ToList();
    }
}
