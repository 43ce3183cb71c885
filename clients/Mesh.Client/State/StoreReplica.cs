using Mesh.Core;
using Mesh.Core.Dare;

namespace Mesh.Client.State;

/// <summary>
/// The local copy of one account store: a DARE Merkle sequence file (<c>NAME.dare</c>) and the
/// Merkle frontier last written (<c>NAME.frontier</c>). Opening checks every frame digest and apex
/// and compares the frontier, so a truncated or rewritten replica is refused.
/// </summary>
public sealed class StoreReplica
{
    readonly string sequencePath;
    readonly string frontierPath;
    readonly DareSequence sequence;

    StoreReplica(string name, string directory, DareSequence sequence)
    {
        Name = name;
        sequencePath = Path.Combine(directory, name + ".dare");
        frontierPath = Path.Combine(directory, name + ".frontier");
        this.sequence = sequence;
    }

    public string Name { get; }

    /// <summary>Entries after frame 0.</summary>
    public long Count => sequence.Count - 1;

    public MerkleFrontier Frontier => sequence.Frontier;

    /// <summary>Opens the store, creating an empty Merkle sequence the first time.</summary>
    public static StoreReplica Open(string directory, string name)
    {
        if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
            throw new MeshClientException($"'{name}' is not a store name");
        Directory.CreateDirectory(directory);
        var replica = new StoreReplica(name, directory, LoadOrCreate(directory, name));
        return replica;
    }

    static DareSequence LoadOrCreate(string directory, string name)
    {
        var sequencePath = Path.Combine(directory, name + ".dare");
        var frontierPath = Path.Combine(directory, name + ".frontier");
        if (!File.Exists(sequencePath))
        {
            if (File.Exists(frontierPath))
                throw new MeshCryptoException($"store {name}: the sequence file is missing but its frontier exists (deleted replica?)");
            var created = DareSequence.Create(DareSequenceType.Merkle);
            FileIo.WriteAtomic(sequencePath, created.ToArray());
            FileIo.WriteAtomic(frontierPath, created.Frontier.ToBytes());
            return created;
        }
        DareSequence sequence;
        try
        {
            sequence = DareSequence.Open(File.ReadAllBytes(sequencePath));
        }
        catch (MeshException e)
        {
            throw new MeshCryptoException($"store {name} is corrupt: {e.Message}", e);
        }
        if (sequence.Type != DareSequenceType.Merkle) throw new MeshFormatException($"store {name} is a {sequence.Type} sequence, not Merkle");
        if (!File.Exists(frontierPath)) throw new MeshCryptoException($"store {name}: the frontier file is missing");
        var recorded = MerkleFrontier.FromBytes(File.ReadAllBytes(frontierPath));
        if (recorded.Count > sequence.Count)
            throw new MeshCryptoException($"store {name} holds {sequence.Count} frames but {recorded.Count} were recorded (truncated or rolled back)");
        if (FrontierOfPrefix(sequence, recorded.Count) != recorded)
            throw new MeshCryptoException($"store {name} does not match its recorded Merkle frontier (rewritten)");
        // Frames beyond the recorded frontier are an append whose frontier write did not happen; they passed Open's checks.
        if (recorded.Count < sequence.Count) FileIo.WriteAtomic(frontierPath, sequence.Frontier.ToBytes());
        return sequence;
    }

    static MerkleFrontier FrontierOfPrefix(DareSequence sequence, long count)
    {
        if (count == sequence.Count) return sequence.Frontier;
        var frontier = MerkleFrontier.Empty;
        foreach (var entry in DareSequence.ReadFrames(sequence.ToArray()).Take((int)count))
        {
            frontier = frontier.Append(entry.Trailer!.PayloadDigest);
        }
        return frontier;
    }

    /// <summary>Appends one entry (an envelope's bytes) to the file, then records the new frontier.</summary>
    public void Append(byte[] payload)
    {
        var before = sequence.ToArray().Length;
        sequence.Append(payload);
        FileIo.Append(sequencePath, sequence.ToArray().AsSpan(before));
        FileIo.WriteAtomic(frontierPath, sequence.Frontier.ToBytes());
    }

    /// <summary>The entry payloads in order (frame 0, which carries none, is skipped).</summary>
    public IEnumerable<byte[]> Payloads() => DareSequence.ReadFrames(sequence.ToArray()).Skip(1).Select(e => e.Payload);
}
