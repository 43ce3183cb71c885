using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Sync.Domain;

/// <summary>An envelope ready to append: its stored bytes, payload digest and the frontier after it.</summary>
/// <param name="UniqueId">The ContentMeta UniqueId the header names, if any (a catalog entry's key, a message's id).</param>
public sealed record CheckedFrame(byte[] Envelope, byte[] PayloadDigest, MerkleFrontier Frontier, string? UniqueId);

/// <summary>
/// The checks on each envelope of a Transact (§7.3.5): the client's frames must carry the next
/// index, the digest of their payload and the apex of the tree after them, and any apex signature
/// must verify; messages appended to Inbound/Local are framed here instead.
/// </summary>
public static class SequenceFrames
{
    /// <summary>Checks a frame a device wrote for index <c>frontier.Count</c>; throws <see cref="SyncRequestException"/> naming the problem.</summary>
    public static CheckedFrame CheckClientFrame(Enveloped envelope, MerkleFrontier frontier, SyncOptions limits,
        Func<string, IDareVerifier?> apexKey)
    {
        var bytes = EnvelopeCodec.ToBytes(envelope);
        CheckSize(envelope, bytes, limits);
        var header = ReadHeader(envelope);
        var expectedIndex = frontier.Count;
        var index = header.SequenceInfo?.Index ?? throw Reject("header has no SequenceInfo.Index");
        if (index != expectedIndex) throw Reject($"SequenceInfo.Index is {index}, the store's next index is {expectedIndex}");
        var trailer = ReadTrailer(envelope);
        var digest = PayloadDigest(envelope, header);
        var carried = trailer?.PayloadDigest ?? header.PayloadDigest ?? throw Reject("PayloadDigest is missing");
        if (!CryptographicOperations.FixedTimeEquals(carried, digest)) throw Reject("PayloadDigest does not match the payload");
        var next = frontier.Append(digest);
        var apex = next.Apex;
        var carriedApex = trailer?.ApexDigest ?? header.ApexDigest ?? throw Reject("ApexDigest is missing");
        if (!CryptographicOperations.FixedTimeEquals(carriedApex, apex))
            throw Reject($"ApexDigest does not match the Merkle tree of the store after index {index}");
        foreach (var signature in (IEnumerable<DareSignature>?)trailer?.SequenceSignatures ?? header.SequenceSignatures ?? [])
        {
            if (signature.KeyIdentifier is null || signature.SignatureValue is null) throw Reject("apex signature has no kid or no value");
            var key = apexKey(signature.KeyIdentifier) ?? throw Reject($"apex signature by '{signature.KeyIdentifier}', a key the account does not list");
            if (!key.Verify(apex, signature.SignatureValue)) throw Reject($"apex signature by '{signature.KeyIdentifier}' does not verify");
        }
        return new CheckedFrame(bytes, digest, next, UniqueId(header));
    }

    /// <summary>Frames a message appended to a spool by the service (§10.12 Inbound, Local): index, receipt time, digests.</summary>
    public static CheckedFrame FrameMessage(Enveloped envelope, MerkleFrontier frontier, SyncOptions limits, DateTime received)
    {
        CheckSize(envelope, EnvelopeCodec.ToBytes(envelope), limits);
        var header = ReadHeader(envelope);
        var trailer = ReadTrailer(envelope) ?? new DareTrailer();
        var digest = PayloadDigest(envelope, header);
        var carried = trailer.PayloadDigest ?? header.PayloadDigest;
        if (carried is not null && !CryptographicOperations.FixedTimeEquals(carried, digest)) throw Reject("PayloadDigest does not match the payload");
        if (trailer.SequenceSignatures is not null || header.SequenceSignatures is not null)
            throw Reject("a message appended by the service cannot carry an apex signature: the service places it");
        var next = frontier.Append(digest);
        header.SequenceInfo = new SequenceInfo { Index = frontier.Count };
        header.Received = received.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        header.DigestAlgorithm ??= DareAlgorithms.Sha2_512;
        trailer.PayloadDigest = digest;
        trailer.ApexDigest = next.Apex;
        var framed = new Enveloped
        {
            Header = EnvelopeCodec.ToElement(header.ToJson()),
            Payload = envelope.Payload,
            Trailer = EnvelopeCodec.ToElement(trailer.ToJson()),
        };
        // Framing adds a few hundred octets at most; the stored frame is held to the same bound as client frames.
        var bytes = EnvelopeCodec.ToBytes(framed);
        CheckSize(framed, bytes, limits);
        return new CheckedFrame(bytes, digest, next, UniqueId(header));
    }

    /// <summary>Longest UniqueId kept: a UDF or message id is far shorter.</summary>
    const int MaxUniqueIdLength = 256;

    static string? UniqueId(DareHeader header)
    {
        if (header.ContentMetaData is not { Length: > 0 } meta) return null;
        string? id;
        try
        {
            id = DareContentMeta.FromJson(meta).UniqueId;
        }
        catch (MeshException e)
        {
            throw Reject($"ContentMetaData is not a ContentMeta object: {e.Message}");
        }
        if (id is { Length: > MaxUniqueIdLength }) throw Reject($"ContentMeta UniqueId is {id.Length} characters long, the limit is {MaxUniqueIdLength}");
        return id;
    }

    static void CheckSize(Enveloped envelope, byte[] stored, SyncOptions limits)
    {
        if (envelope.Payload is { } payload && payload.Length > limits.MaxPayloadBytes)
            throw new SyncRequestException(MeshStatus.TooLarge, $"payload is {payload.Length} bytes, the limit is {limits.MaxPayloadBytes}");
        if (stored.Length > limits.MaxEnvelopeBytes)
            throw new SyncRequestException(MeshStatus.TooLarge,
                $"envelope is {stored.Length} bytes with its header and trailer, the limit is {limits.MaxEnvelopeBytes}");
    }

    static byte[] PayloadDigest(Enveloped envelope, DareHeader header)
    {
        if (header.DigestAlgorithm is not null && header.DigestAlgorithm != DareAlgorithms.Sha2_512)
            throw Reject($"digest algorithm '{header.DigestAlgorithm}': store entries use S512 (the Merkle tree is SHA-512)");
        var payload = envelope.Payload ?? throw Reject("envelope has no payload");
        return DareAlgorithms.Digest(DareAlgorithms.Sha2_512, payload);
    }

    static DareHeader ReadHeader(Enveloped envelope)
    {
        try
        {
            return DareHeader.Read(envelope.Header);
        }
        catch (Exception e) when (e is MeshException or JsonException or InvalidOperationException)
        {
            throw Reject($"header is not a DARE header: {e.Message}");
        }
    }

    static DareTrailer? ReadTrailer(Enveloped envelope)
    {
        if (envelope.Trailer is not { } trailer) return null;
        try
        {
            return DareTrailer.Read(trailer);
        }
        catch (Exception e) when (e is MeshException or JsonException or InvalidOperationException)
        {
            throw Reject($"trailer is not a DARE trailer: {e.Message}");
        }
    }

    static SyncRequestException Reject(string problem) => new(MeshStatus.BadRequest, problem);
}
