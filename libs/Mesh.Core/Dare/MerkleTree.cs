using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// The binary Merkle tree over the frames of a sequence.
/// <para>Leaf i = Combine(zero, PayloadDigest_i) = SHA-512(0^64 || PD_i); an inner node =
/// SHA-512(left || right). The apex over frames 0..n-1 splits at the largest power of two below
/// n (the RFC 9162 shape), so a tree of n leaves is the sequence of perfect subtrees given by
/// the binary digits of n: that list is the <see cref="MerkleFrontier"/>. The zero block in the
/// leaf keeps leaves and inner nodes apart: an inner node would need a left child of 64 zero
/// octets, i.e. a SHA-512 preimage.</para>
/// </summary>
public static class MerkleTree
{
    public static byte[] Leaf(ReadOnlySpan<byte> payloadDigest) => DareAlgorithms.Combine([], payloadDigest);

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => DareAlgorithms.Combine(left, right);

    /// <summary>Apex of the whole list of leaf hashes (O(n); for building proofs and tests).</summary>
    public static byte[] Apex(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0) throw new MeshFormatException("a Merkle tree needs at least one leaf");
        return Root(leaves, 0, leaves.Count);
    }

    static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1) return leaves[start];
        var k = LargestPowerOfTwoBelow(count);
        return Node(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    internal static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    /// <summary>
    /// Proof that the leaves [first, first+count) belong to the tree of <paramref name="size"/> leaves:
    /// the roots of the maximal subtrees outside the range, left to right in the order
    /// <see cref="VerifyRange"/> consumes them. A single-leaf range is an inclusion proof.
    /// </summary>
    public static IReadOnlyList<byte[]> RangeProof(IReadOnlyList<byte[]> leaves, int first, int count)
    {
        CheckRange(leaves.Count, first, count);
        var proof = new List<byte[]>();
        Collect(leaves, 0, leaves.Count, first, first + count, proof);
        return proof;
    }

    static void Collect(IReadOnlyList<byte[]> leaves, int start, int size, int lo, int hi, List<byte[]> proof)
    {
        if (hi <= start || lo >= start + size)
        {
            proof.Add(Root(leaves, start, size));
            return;
        }
        if (lo <= start && start + size <= hi) return;
        var k = LargestPowerOfTwoBelow(size);
        Collect(leaves, start, k, lo, hi, proof);
        Collect(leaves, start + k, size - k, lo, hi, proof);
    }

    /// <summary>
    /// Recomputes the apex of a tree of <paramref name="size"/> leaves from a downloaded range of
    /// leaf hashes and its proof, and compares it with the known apex. The apex alone does not
    /// fix the size (a proof for n leaves can match a tree of n+1 with the same apex), so
    /// <paramref name="size"/> must come from the same trusted source as the apex (the frame index).
    /// </summary>
    public static bool VerifyRange(ReadOnlySpan<byte> apex, long size, long first, IReadOnlyList<byte[]> rangeLeaves,
        IReadOnlyList<byte[]> proof)
    {
        if (size <= 0 || first < 0 || rangeLeaves.Count == 0 || first + rangeLeaves.Count > size) return false;
        var proofIndex = 0;
        var leafIndex = 0;
        byte[]? Compute(long start, long length)
        {
            var lo = first;
            var hi = first + rangeLeaves.Count;
            if (hi <= start || lo >= start + length)
            {
                return proofIndex < proof.Count ? proof[proofIndex++] : null;
            }
            if (length == 1) return rangeLeaves[leafIndex++];
            var k = LargestPowerOfTwoBelow(length);
            var left = Compute(start, k);
            if (left is null) return null;
            var right = Compute(start + k, length - k);
            return right is null ? null : Node(left, right);
        }
        var computed = Compute(0, size);
        return computed is not null && proofIndex == proof.Count && leafIndex == rangeLeaves.Count
            && computed.Length == apex.Length && CryptographicOperations.FixedTimeEquals(computed, apex);
    }

    static long LargestPowerOfTwoBelow(long n)
    {
        long k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    static void CheckRange(int size, int first, int count)
    {
        if (count <= 0 || first < 0 || first + count > size)
            throw new MeshFormatException($"range [{first}, {first + count}) is not inside a tree of {size} leaves");
    }

    /// <summary>
    /// Appendix C: the index of the frame at the apex of the binary tree immediately before
    /// <paramref name="frame"/>; its position is the frame's TreePosition.
    /// </summary>
    public static long PreviousFrame(long frame)
    {
        var x2 = frame + 1;
        long d = 1;
        while (x2 > 0)
        {
            if ((x2 & 1) == 1) return x2 == 1 ? d / 2 - 1 : frame - d;
            d *= 2;
            x2 /= 2;
        }
        return 0;
    }
}

/// <summary>
/// The right edge of a Merkle tree: one root per perfect subtree (largest first), as many as the
/// binary digits set in <see cref="Count"/>. Appending is O(log n); the apex folds the roots
/// right to left. <see cref="ToBytes"/>/<see cref="FromBytes"/> let a service keep it in a row.
/// </summary>
public readonly struct MerkleFrontier : IEquatable<MerkleFrontier>
{
    const byte Version = 1;
    readonly byte[][]? roots;

    MerkleFrontier(long count, byte[][] roots)
    {
        Count = count;
        this.roots = roots;
    }

    public static MerkleFrontier Empty => new(0, []);

    /// <summary>Number of leaves (frames) the tree covers.</summary>
    public long Count { get; }

    public IReadOnlyList<byte[]> Roots => roots ?? [];

    /// <summary>Adds the leaf of the next frame (given its payload digest).</summary>
    public MerkleFrontier Append(ReadOnlySpan<byte> payloadDigest)
    {
        var stack = new List<byte[]>(Roots);
        var node = MerkleTree.Leaf(payloadDigest);
        // Each trailing one bit of the old count is a perfect subtree of the new node's size: merge.
        for (var n = Count; (n & 1) == 1; n >>= 1)
        {
            node = MerkleTree.Node(stack[^1], node);
            stack.RemoveAt(stack.Count - 1);
        }
        stack.Add(node);
        return new MerkleFrontier(Count + 1, stack.ToArray());
    }

    /// <summary>The ApexDigest of the last frame appended.</summary>
    public byte[] Apex
    {
        get
        {
            if (Count == 0) throw new MeshFormatException("an empty sequence has no apex");
            var acc = Roots[^1];
            for (var i = Roots.Count - 2; i >= 0; i--) acc = MerkleTree.Node(Roots[i], acc);
            return acc;
        }
    }

    /// <summary>version(1) | count(8, big-endian) | roots (64 bytes each, largest subtree first).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[9 + Roots.Count * DareAlgorithms.DigestLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), Count);
        for (var i = 0; i < Roots.Count; i++) Roots[i].CopyTo(bytes, 9 + i * DareAlgorithms.DigestLength);
        return bytes;
    }

    public static MerkleFrontier FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9 || bytes[0] != Version) throw new MeshFormatException("Merkle frontier: unknown version or truncated");
        var count = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (count < 0) throw new MeshFormatException("Merkle frontier: negative count");
        var expected = System.Numerics.BitOperations.PopCount((ulong)count);
        if (bytes.Length != 9 + expected * DareAlgorithms.DigestLength)
            throw new MeshFormatException($"Merkle frontier for {count} leaves must hold {expected} roots");
        var roots = new byte[expected][];
        for (var i = 0; i < expected; i++) roots[i] = bytes.Slice(9 + i * DareAlgorithms.DigestLength, DareAlgorithms.DigestLength).ToArray();
        return new MerkleFrontier(count, roots);
    }

    public bool Equals(MerkleFrontier other) => Count == other.Count && ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    public override bool Equals(object? obj) => obj is MerkleFrontier other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Count, Roots.Count > 0 ? BitConverter.ToInt32(Roots[^1]) : 0);

    public static bool operator ==(MerkleFrontier a, MerkleFrontier b) => a.Equals(b);

    public static bool operator !=(MerkleFrontier a, MerkleFrontier b) => !a.Equals(b);
}
