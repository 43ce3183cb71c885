using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>Sequence types of the DARE draft (ContainerType in frame 0).</summary>
public static class DareSequenceType
{
    public const string List = "List";
    public const string Digest = "Digest";
    public const string Chain = "Chain";
    public const string Tree = "Tree";
    public const string Merkle = "Merkle";
}

/// <summary>One entry read back from a sequence.</summary>
public sealed record DareSequenceEntry(long Index, long Position, DareHeader Header, byte[] Payload, DareTrailer? Trailer);

/// <summary>
/// An append-only DARE sequence held in a byte buffer. Frame 0 states the type; each later frame
/// carries its Index, TreePosition (Tree/Merkle: the position of <see cref="MerkleTree.PreviousFrame"/>),
/// PayloadDigest (Digest/Chain/Merkle), ChainDigest (Chain: H(previous ChainDigest || PD), the
/// first taking 64 zero octets) and ApexDigest (Merkle: apex of the tree over frames 0..n).
/// </summary>
public sealed class DareSequence
{
    readonly MemoryStream data = new();
    readonly List<long> positions = [];
    readonly List<byte[]> leaves = [];
    byte[]? chain;

    DareSequence(string type) => Type = type;

    public string Type { get; }

    public long Count => positions.Count;

    public MerkleFrontier Frontier { get; private set; } = MerkleFrontier.Empty;

    public byte[] ToArray() => data.ToArray();

    bool Digested => Type is DareSequenceType.Digest or DareSequenceType.Chain or DareSequenceType.Merkle;

    bool Positioned => Type is DareSequenceType.Tree or DareSequenceType.Merkle;

    /// <summary>Starts a sequence with its frame 0 (empty payload).</summary>
    public static DareSequence Create(string type, byte[]? contentMetaData = null)
    {
        if (type is not (DareSequenceType.List or DareSequenceType.Digest or DareSequenceType.Chain or DareSequenceType.Tree or DareSequenceType.Merkle))
            throw new MeshFormatException($"unknown DARE sequence type '{type}'");
        var sequence = new DareSequence(type);
        var header = new DareHeader
        {
            Policy = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone(),
            ContentMetaData = contentMetaData,
            SequenceInfo = new SequenceInfo { DataEncoding = "JSON", ContainerType = type, Index = 0 },
        };
        sequence.AppendFrame(header, []);
        return sequence;
    }

    /// <summary>Appends one entry; the apex can be signed in the same frame's trailer.</summary>
    public DareSequenceEntry Append(byte[] payload, byte[]? contentMetaData = null, IDareSigner? apexSigner = null)
    {
        var header = new DareHeader
        {
            ContentMetaData = contentMetaData,
            SequenceInfo = new SequenceInfo { Index = Count },
        };
        return AppendFrame(header, payload, apexSigner);
    }

    DareSequenceEntry AppendFrame(DareHeader header, byte[] payload, IDareSigner? apexSigner = null)
    {
        var index = Count;
        if (Positioned && index > 0) header.SequenceInfo!.TreePosition = positions[(int)MerkleTree.PreviousFrame(index)];
        DareTrailer? trailer = null;
        if (Digested)
        {
            header.DigestAlgorithm = DareAlgorithms.Sha2_512;
            var digest = DareAlgorithms.Digest(DareAlgorithms.Sha2_512, payload);
            trailer = new DareTrailer { PayloadDigest = digest };
            if (Type == DareSequenceType.Chain)
            {
                chain = DareAlgorithms.Combine(chain ?? [], digest);
                trailer.ChainDigest = chain;
            }
            if (Type == DareSequenceType.Merkle)
            {
                Frontier = Frontier.Append(digest);
                leaves.Add(MerkleTree.Leaf(digest));
                trailer.ApexDigest = Frontier.Apex;
                if (apexSigner is not null)
                {
                    trailer.SequenceSignatures =
                    [
                        new DareSignature { Algorithm = apexSigner.Algorithm, KeyIdentifier = apexSigner.KeyIdentifier, SignatureValue = apexSigner.Sign(trailer.ApexDigest) },
                    ];
                }
            }
        }
        else if (apexSigner is not null)
        {
            throw new MeshFormatException($"a {Type} sequence has no apex to sign");
        }
        var position = data.Length;
        data.Write(DareFrame.Encode(header.ToJson(), payload, trailer?.ToJson()));
        positions.Add(position);
        return new DareSequenceEntry(index, position, header, payload, trailer);
    }

    /// <summary>Leaf hashes of every frame, for building range proofs.</summary>
    public IReadOnlyList<byte[]> Leaves => leaves;

    /// <summary>
    /// Reads a sequence, checking framing, indexes, tree positions, payload digests, the chain
    /// and every apex; returns it ready for further appends.
    /// </summary>
    public static DareSequence Open(ReadOnlySpan<byte> bytes) => Open(bytes, out _);

    /// <summary>As <see cref="Open(ReadOnlySpan{byte})"/>, also handing back the checked frames.</summary>
    public static DareSequence Open(ReadOnlySpan<byte> bytes, out IReadOnlyList<DareSequenceEntry> frames)
    {
        var entries = ReadFrames(bytes);
        frames = entries;
        if (entries.Count == 0) throw new MeshFormatException("sequence has no frame 0");
        var type = entries[0].Header.SequenceInfo?.ContainerType
            ?? throw new MeshFormatException("frame 0 does not name the sequence type (SequenceInfo.ContainerType)");
        var sequence = new DareSequence(type);
        for (var i = 0; i < entries.Count; i++)
        {
            sequence.Check(entries[i]);
            var end = i + 1 < entries.Count ? entries[i + 1].Position : bytes.Length;
            sequence.data.Write(bytes[(int)entries[i].Position..(int)end]);
        }
        return sequence;
    }

    void Check(DareSequenceEntry entry)
    {
        var index = Count;
        var info = entry.Header.SequenceInfo ?? throw new MeshFormatException($"frame {index} has no SequenceInfo");
        if (info.Index != index) throw new MeshFormatException($"frame {index} says it is frame {info.Index}");
        if (Positioned && index > 0 && info.TreePosition != positions[(int)MerkleTree.PreviousFrame(index)])
            throw new MeshFormatException($"frame {index} has TreePosition {info.TreePosition}, expected {positions[(int)MerkleTree.PreviousFrame(index)]}");
        if (Digested)
        {
            var digest = DareAlgorithms.Digest(DareAlgorithms.Sha2_512, entry.Payload);
            Require(entry.Trailer?.PayloadDigest, digest, $"frame {index} PayloadDigest");
            if (Type == DareSequenceType.Chain)
            {
                chain = DareAlgorithms.Combine(chain ?? [], digest);
                Require(entry.Trailer!.ChainDigest, chain, $"frame {index} ChainDigest");
            }
            if (Type == DareSequenceType.Merkle)
            {
                Frontier = Frontier.Append(digest);
                leaves.Add(MerkleTree.Leaf(digest));
                Require(entry.Trailer!.ApexDigest, Frontier.Apex, $"frame {index} ApexDigest");
            }
        }
        positions.Add(entry.Position);
    }

    static void Require(byte[]? carried, byte[] computed, string what)
    {
        if (carried is null) throw new MeshCryptoException($"{what} is missing");
        if (!CryptographicOperations.FixedTimeEquals(carried, computed)) throw new MeshCryptoException($"{what} does not match the frames");
    }

    /// <summary>Walks the frames forward without checking integrity.</summary>
    public static List<DareSequenceEntry> ReadFrames(ReadOnlySpan<byte> bytes)
    {
        var entries = new List<DareSequenceEntry>();
        long position = 0;
        while (position < bytes.Length)
        {
            var (header, payload, trailer, length) = DareFrame.Decode(bytes, position);
            entries.Add(new DareSequenceEntry(entries.Count, position,
                DareHeader.FromJson(header), payload, trailer is null ? null : DareTrailer.FromJson(trailer)));
            position += length;
        }
        return entries;
    }

    /// <summary>Signatures over an apex are checked against the ApexDigest in the same trailer.</summary>
    public static bool VerifyApexSignature(DareTrailer trailer, IDareVerifier verifier) =>
        trailer.ApexDigest is not null && trailer.SequenceSignatures is { Count: > 0 } signatures &&
        signatures.All(s => s.SignatureValue is not null && s.KeyIdentifier == verifier.KeyIdentifier &&
                            verifier.Verify(trailer.ApexDigest, s.SignatureValue));
}
