using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Dare;

namespace Mesh.Client.State;

/// <summary>
/// The local copy of one account store, frame for frame what the service holds (services/Mesh.Sync
/// README, "Wire semantics"): <c>NAME.dare</c> is a DARE sequence whose frames are the store's
/// envelopes (header with SequenceInfo.Index, payload as carried, trailer with PayloadDigest and
/// ApexDigest), <c>NAME.frontier</c> the Merkle frontier last written, and <c>NAME.pending</c> the
/// envelopes this device wrote that the service has not accepted yet (see <see cref="PendingEntries"/>).
/// Opening checks every frame's index, payload digest and apex against the Merkle tree recomputed
/// from the frames, and compares the frontier file, so a truncated or rewritten replica is refused.
/// Tree positions are not checked: frames framed by the service (Inbound, Local) carry none.
/// </summary>
public sealed class StoreReplica
{
    readonly string sequencePath;
    readonly string frontierPath;
    readonly List<DareEnvelope> frames;

    StoreReplica(string name, string directory, List<DareEnvelope> frames, MerkleFrontier frontier, long length)
    {
        Name = name;
        sequencePath = Path.Combine(directory, name + ".dare");
        frontierPath = Path.Combine(directory, name + ".frontier");
        this.frames = frames;
        Frontier = frontier;
        FileLength = length;
        Pending = new PendingEntries(Path.Combine(directory, name + ".pending"));
    }

    public string Name { get; }

    /// <summary>Frames held, frame 0 included.</summary>
    public long Count => Frontier.Count;

    /// <summary>Index of the last frame, or null for an empty store (the form ContainerStatus uses).</summary>
    public long? LastIndex => Count == 0 ? null : Count - 1;

    /// <summary>The apex after the last frame, or null for an empty store.</summary>
    public byte[]? Apex => Count == 0 ? null : Frontier.Apex;

    public MerkleFrontier Frontier { get; private set; }

    /// <summary>Size of the sequence file; the sync engine reports bytes with it.</summary>
    public long FileLength { get; private set; }

    /// <summary>Envelopes written here and not yet accepted by the service.</summary>
    public PendingEntries Pending { get; }

    public IReadOnlyList<DareEnvelope> Frames => frames;

    /// <summary>Opens the store; a store never synchronised is empty (the service creates stores empty).</summary>
    public static StoreReplica Open(string directory, string name)
    {
        if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
            throw new MeshClientException($"'{name}' is not a store name");
        Directory.CreateDirectory(directory);
        var sequencePath = Path.Combine(directory, name + ".dare");
        var frontierPath = Path.Combine(directory, name + ".frontier");
        if (!File.Exists(sequencePath))
        {
            if (File.Exists(frontierPath))
                throw new MeshCryptoException($"store {name}: the sequence file is missing but its frontier exists (deleted replica?)");
            return new StoreReplica(name, directory, [], MerkleFrontier.Empty, 0);
        }
        var bytes = File.ReadAllBytes(sequencePath);
        var frames = new List<DareEnvelope>();
        var frontier = MerkleFrontier.Empty;
        var prefixFrontier = (MerkleFrontier?)null;
        if (!File.Exists(frontierPath)) throw new MeshCryptoException($"store {name}: the frontier file is missing");
        var recorded = MerkleFrontier.FromBytes(File.ReadAllBytes(frontierPath));
        try
        {
            foreach (var entry in DareSequence.ReadFrames(bytes))
            {
                var frame = new DareEnvelope(entry.Header, entry.Payload, entry.Trailer);
                frontier = StoreFrames.Check(frame, frontier, $"store {name}");
                frames.Add(frame);
                if (frontier.Count == recorded.Count) prefixFrontier = frontier;
            }
        }
        catch (MeshException e) when (e is not MeshCryptoException)
        {
            throw new MeshCryptoException($"store {name} is corrupt: {e.Message}", e);
        }
        if (recorded.Count > frontier.Count)
            throw new MeshCryptoException($"store {name} holds {frontier.Count} frames but {recorded.Count} were recorded (truncated or rolled back)");
        if (recorded.Count > 0 && prefixFrontier != recorded)
            throw new MeshCryptoException($"store {name} does not match its recorded Merkle frontier (rewritten)");
        // Frames beyond the recorded frontier are an append whose frontier write did not happen; they passed the checks.
        if (recorded.Count < frontier.Count) FileIo.WriteAtomic(frontierPath, frontier.ToBytes());
        return new StoreReplica(name, directory, frames, frontier, bytes.Length);
    }

    /// <summary>
    /// Appends frames that continue this replica: each is checked (next index, payload digest, apex
    /// of the tree after it) before any is written; the frontier file is written last.
    /// </summary>
    public void Append(IReadOnlyList<DareEnvelope> newFrames)
    {
        if (newFrames.Count == 0) return;
        var frontier = Frontier;
        foreach (var frame in newFrames) frontier = StoreFrames.Check(frame, frontier, $"store {Name}");
        using var buffer = new MemoryStream();
        foreach (var frame in newFrames) buffer.Write(DareFrame.Encode(frame.Header.ToJson(), frame.Payload, frame.Trailer?.ToJson()));
        FileIo.Append(sequencePath, buffer.ToArray());
        FileIo.WriteAtomic(frontierPath, frontier.ToBytes());
        frames.AddRange(newFrames);
        Frontier = frontier;
        FileLength += buffer.Length;
    }

    /// <summary>The store's entries in order: every frame except sequence headers (frame 0 of a device-framed store).</summary>
    public IEnumerable<DareEnvelope> Entries() => frames.Where(f => !StoreFrames.IsSequenceHeader(f));

    /// <summary>Whether an envelope with this payload digest is in the replica (an upload that was accepted).</summary>
    public bool Holds(ReadOnlySpan<byte> payloadDigest)
    {
        foreach (var frame in frames)
        {
            if (frame.Trailer?.PayloadDigest is { } digest && CryptographicOperations.FixedTimeEquals(digest, payloadDigest)) return true;
        }
        return false;
    }
}

/// <summary>
/// Envelopes a device wrote to a store and has not had accepted yet, one DARE frame each in
/// <c>NAME.pending</c> (header, payload, trailer of the envelope, no sequence framing). They are
/// written before the command that made them returns, so nothing is lost if the process stops
/// before the upload; an entry is dropped once the replica holds its payload digest.
/// </summary>
public sealed class PendingEntries
{
    readonly string path;

    internal PendingEntries(string path) => this.path = path;

    public IReadOnlyList<DareEnvelope> Read()
    {
        if (!File.Exists(path)) return [];
        try
        {
            return DareSequence.ReadFrames(File.ReadAllBytes(path)).Select(e => new DareEnvelope(e.Header, e.Payload, e.Trailer)).ToList();
        }
        catch (MeshException e)
        {
            throw new MeshFormatException($"pending entries file {path} is corrupt: {e.Message}", e);
        }
    }

    public int Count => Read().Count;

    public void Add(DareEnvelope envelope) =>
        FileIo.Append(path, DareFrame.Encode(envelope.Header.ToJson(), envelope.Payload, envelope.Trailer?.ToJson()));

    /// <summary>Keeps only the entries <paramref name="keep"/> selects (rewritten through a temporary file).</summary>
    public void Retain(Func<DareEnvelope, bool> keep)
    {
        var all = Read();
        var kept = all.Where(keep).ToList();
        if (kept.Count == all.Count) return;
        if (kept.Count == 0)
        {
            File.Delete(path);
            return;
        }
        using var buffer = new MemoryStream();
        foreach (var e in kept) buffer.Write(DareFrame.Encode(e.Header.ToJson(), e.Payload, e.Trailer?.ToJson()));
        FileIo.WriteAtomic(path, buffer.ToArray());
    }
}

/// <summary>How a store frame is made and checked (services/Mesh.Sync README: index, PayloadDigest, ApexDigest).</summary>
public static class StoreFrames
{
    /// <summary>Checks <paramref name="frame"/> as the next frame after <paramref name="frontier"/>; returns the frontier after it.</summary>
    public static MerkleFrontier Check(DareEnvelope frame, MerkleFrontier frontier, string where)
    {
        var index = frame.Header.SequenceInfo?.Index
            ?? throw new MeshCryptoException($"{where}: frame {frontier.Count} has no SequenceInfo.Index");
        if (index != frontier.Count) throw new MeshCryptoException($"{where}: frame {frontier.Count} says it is frame {index}");
        if (frame.Header.DigestAlgorithm is { } algorithm && algorithm != DareAlgorithms.Sha2_512)
            throw new MeshCryptoException($"{where}: frame {index} uses digest {algorithm}, not S512");
        var digest = SHA512.HashData(frame.Payload);
        var carried = frame.Trailer?.PayloadDigest ?? frame.Header.PayloadDigest
            ?? throw new MeshCryptoException($"{where}: frame {index} has no PayloadDigest");
        if (!CryptographicOperations.FixedTimeEquals(carried, digest))
            throw new MeshCryptoException($"{where}: frame {index} PayloadDigest does not match its payload");
        var next = frontier.Append(digest);
        var apex = frame.Trailer?.ApexDigest ?? frame.Header.ApexDigest
            ?? throw new MeshCryptoException($"{where}: frame {index} has no ApexDigest");
        if (!CryptographicOperations.FixedTimeEquals(apex, next.Apex))
            throw new MeshCryptoException($"{where}: frame {index} ApexDigest does not match the Merkle tree of the frames");
        return next;
    }

    /// <summary>Frame 0 of a device-framed store: names the sequence type, carries no payload.</summary>
    public static bool IsSequenceHeader(DareEnvelope frame) => frame.Header.SequenceInfo?.ContainerType is not null;

    /// <summary>The frame 0 a device writes when a store is still empty at the service.</summary>
    public static DareEnvelope SequenceHeader() => Frame(new DareHeader
    {
        Policy = JsonDocument.Parse("{}").RootElement.Clone(),
        SequenceInfo = new SequenceInfo { DataEncoding = "JSON", ContainerType = DareSequenceType.Merkle, Index = 0 },
    }, [], new DareTrailer(), MerkleFrontier.Empty);

    /// <summary>
    /// <paramref name="envelope"/> framed as the next entry after <paramref name="frontier"/>: its header
    /// gains SequenceInfo.Index, its trailer the ApexDigest. Signatures cover the payload digest only,
    /// so they stay valid; an encrypted payload still opens (the cipher reads only salt and recipients).
    /// </summary>
    public static DareEnvelope Next(DareEnvelope envelope, MerkleFrontier frontier)
    {
        var header = DareHeader.FromJson(envelope.Header.ToJson());
        header.SequenceInfo = new SequenceInfo { Index = frontier.Count };
        var trailer = envelope.Trailer is null ? new DareTrailer() : DareTrailer.FromJson(envelope.Trailer.ToJson());
        return Frame(header, envelope.Payload, trailer, frontier);
    }

    static DareEnvelope Frame(DareHeader header, byte[] payload, DareTrailer trailer, MerkleFrontier frontier)
    {
        header.SequenceInfo!.Index = frontier.Count;
        header.DigestAlgorithm ??= DareAlgorithms.Sha2_512;
        var digest = SHA512.HashData(payload);
        trailer.PayloadDigest = digest;
        trailer.ApexDigest = frontier.Append(digest).Apex;
        return new DareEnvelope(header, payload, trailer);
    }
}
