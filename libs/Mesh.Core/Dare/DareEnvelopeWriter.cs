using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// Single-pass envelope encoder: the header first, the payload streamed through encryption and
/// digest, then the trailer with the digest and signatures. With a known length nothing is
/// buffered; JSON-B without a known length buffers the plaintext to learn it.
/// </summary>
public static class DareEnvelopeWriter
{
    const int ChunkSize = 64 * 1024;

    /// <summary>Writes the envelope and returns its header and trailer.</summary>
    public static (DareHeader Header, DareTrailer? Trailer) Encode(Stream plaintext, long? length, Stream output,
        DareEnvelopeOptions options, DareEncoding encoding = DareEncoding.Json)
    {
        if (encoding == DareEncoding.JsonB && length is null)
        {
            var buffered = new MemoryStream();
            plaintext.CopyTo(buffered);
            buffered.Position = 0;
            return Encode(buffered, buffered.Length, output, options, encoding);
        }

        var header = new DareHeader
        {
            EnvelopeId = options.EnvelopeId,
            ContentMetaData = options.ContentMetaData,
            ContentType = options.ContentType,
        };
        var digest = options.EffectiveDigest;
        if (digest.Length > 0) header.DigestAlgorithm = digest;
        using var cipher = options.Recipients.Count > 0 ? DarePayloadCipher.ForEncoding(options, header) : null;
        if (options.Annotations.Count > 0)
        {
            header.Annotations = options.Annotations.Select((a, i) => cipher is null
                ? DareEds.Encode(DareEds.PrefixFor(i), a)
                : DareEds.Encrypt(a, i, cipher.MasterKey, cipher.Salt, cipher.Derivation)).ToList();
        }

        output.WriteByte((byte)'[');
        output.Write(header.ToJson());
        output.WriteByte((byte)',');

        if (encoding == DareEncoding.JsonB)
        {
            var payloadLength = cipher is null ? length!.Value : DarePayloadCipher.CiphertextLength(length!.Value);
            JsonBData.WriteTag(output, payloadLength);
        }
        else
        {
            output.WriteByte((byte)'"');
        }

        var sink = new PayloadSink(output, encoding == DareEncoding.Json, digest);
        long copied;
        if (cipher is null)
        {
            copied = Copy(plaintext, sink);
        }
        else
        {
            using var encryptor = cipher.CreateEncryptor();
            using var crypto = new CryptoStream(sink, encryptor, CryptoStreamMode.Write, leaveOpen: true);
            copied = Copy(plaintext, crypto);
            crypto.FlushFinalBlock();
        }
        if (length is not null && copied != length)
            throw new MeshFormatException($"payload stream gave {copied} bytes, {length} were announced");
        var payloadDigest = sink.Complete();
        sink.Dispose();
        if (encoding == DareEncoding.Json) output.WriteByte((byte)'"');

        DareTrailer? trailer = null;
        if (payloadDigest is not null)
        {
            trailer = new DareTrailer { PayloadDigest = payloadDigest };
            if (options.Signers.Count > 0)
            {
                trailer.Signatures = options.Signers.Select(s => new DareSignature
                {
                    Algorithm = s.Algorithm,
                    KeyIdentifier = s.KeyIdentifier,
                    SignatureValue = s.Sign(payloadDigest),
                }).ToList();
            }
            output.WriteByte((byte)',');
            output.Write(trailer.ToJson());
        }
        output.WriteByte((byte)']');
        output.Flush();
        return (header, trailer);
    }

    static long Copy(Stream from, Stream to)
    {
        // Pooled: a fresh 64 KB array per envelope cost more than signing a 1 KB one (bench/formats).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            int read;
            while ((read = from.Read(buffer, 0, ChunkSize)) > 0)
            {
                to.Write(buffer, 0, read);
                total += read;
            }
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>JSON-B data items (tags 0x88-0x8B, big-endian length) as the envelope payload uses them.</summary>
internal static class JsonBData
{
    public static void WriteTag(Stream output, long length)
    {
        var width = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x100000000 ? 4 : 8;
        output.WriteByte((byte)(0x88 + (width switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 })));
        for (var i = width - 1; i >= 0; i--) output.WriteByte((byte)(length >> (8 * i)));
    }
}
