using Mesh.Core.Dare;

namespace Mesh.Core.Tests.Dare;

/// <summary>ExamplesContainer.md and the sequence/Merkle behaviour.</summary>
public class DareSequenceTests
{
    static readonly byte[] FramePayload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    static byte[] B(System.Text.Json.JsonElement? e, string name) => DareVectors.B64(e!.Value.GetProperty(name).GetString()!);

    [Fact]
    public void Chain_sequence_payload_digests_and_first_chain_digest_are_reproduced()
    {
        var printed = DareVectors.Frames("##Payload and chain digests").Where(f => f.Trailer is not null).ToList();
        var sequence = DareSequence.Create(DareSequenceType.Chain);
        var entries = Enumerable.Range(0, 3).Select(_ => sequence.Append(FramePayload)).ToList();
        var frame0 = DareSequence.ReadFrames(sequence.ToArray())[0];
        Assert.Equal(B(printed[0].Trailer, "PayloadDigest"), frame0.Trailer!.PayloadDigest);
        Assert.Equal(B(printed[0].Trailer, "ChainDigest"), frame0.Trailer.ChainDigest);
        for (var i = 1; i < printed.Count; i++) Assert.Equal(B(printed[i].Trailer, "PayloadDigest"), entries[i - 1].Trailer!.PayloadDigest);
    }

    [Fact]
    public void Printed_chain_digests_after_frame_0_do_not_link_to_the_previous_frame()
    {
        var printed = DareVectors.Frames("##Payload and chain digests").Where(f => f.Trailer is not null).ToList();
        var pd = B(printed[1].Trailer, "PayloadDigest");
        // Frames 1..3 all print H(0^64 || PD): the previous ChainDigest is never folded in.
        foreach (var frame in printed.Skip(1)) Assert.Equal(DareAlgorithms.Combine([], pd), B(frame.Trailer, "ChainDigest"));
        var sequence = DareSequence.Create(DareSequenceType.Chain);
        Assert.NotEqual(B(printed[1].Trailer, "ChainDigest"), sequence.Append(FramePayload).Trailer!.ChainDigest);
    }

    [Fact]
    public void Printed_Merkle_apex_values_ignore_every_earlier_frame()
    {
        var printed = DareVectors.Frames("##Merkle Tree").Where(f => f.Trailer is not null).ToList();
        var pd = B(printed[1].Trailer, "PayloadDigest");
        var pd0 = B(printed[0].Trailer, "PayloadDigest");
        byte[] Z(byte[] d) => DareAlgorithms.Combine([], d);
        // Each printed apex is the reference algorithm with every left sibling read as zeros.
        Assert.Equal(Z(Z(pd0)), B(printed[0].Trailer, "ApexDigest"));
        Assert.Equal(Z(Z(pd)), B(printed[1].Trailer, "ApexDigest"));
        Assert.Equal(Z(pd), B(printed[2].Trailer, "ApexDigest"));
        Assert.Equal(Z(Z(Z(pd))), B(printed[3].Trailer, "ApexDigest"));
        Assert.Equal(Z(pd), B(printed[4].Trailer, "ApexDigest"));
        Assert.Equal(Z(Z(pd)), B(printed[5].Trailer, "ApexDigest"));
        Assert.Equal(Z(pd), B(printed[6].Trailer, "ApexDigest"));
        var sequence = DareSequence.Create(DareSequenceType.Merkle);
        var ours = Enumerable.Range(0, 6).Select(_ => sequence.Append(FramePayload).Trailer!.ApexDigest!).ToList();
        Assert.Equal(6, ours.Distinct(new BytesComparer()).Count());
    }

    [Fact]
    public void Printed_tree_positions_follow_the_previous_frame_function()
    {
        var printed = DareVectors.Frames("##Merkle Tree").Where(f => f.Trailer is not null).Skip(1).ToList();
        var positions = printed.Select(f => f.Header.GetProperty("SequenceInfo").GetProperty("TreePosition").GetInt64()).ToList();
        var previous = Enumerable.Range(1, positions.Count).Select(i => MerkleTree.PreviousFrame(i)).ToList();
        Assert.Equal([0L, 1, 1, 3, 3, 5], previous);
        for (var i = 0; i < positions.Count; i++)
            for (var j = 0; j < positions.Count; j++)
                Assert.Equal(previous[i] == previous[j], positions[i] == positions[j]);
        Assert.Equal(0, positions[0]);
    }

    [Fact]
    public void Tree_position_of_each_frame_is_the_start_of_its_previous_apex_frame()
    {
        var sequence = DareSequence.Create(DareSequenceType.Merkle);
        for (var i = 0; i < 20; i++) sequence.Append(FramePayload[..(i * 7 % 300)]);
        var frames = DareSequence.ReadFrames(sequence.ToArray());
        foreach (var frame in frames.Skip(1))
            Assert.Equal(frames[(int)MerkleTree.PreviousFrame(frame.Index)].Position, frame.Header.SequenceInfo!.TreePosition);
    }

    [Fact]
    public void Reopened_sequence_verifies_and_continues_with_the_same_apex()
    {
        var sequence = DareSequence.Create(DareSequenceType.Merkle);
        for (var i = 0; i < 9; i++) sequence.Append([(byte)i]);
        var reopened = DareSequence.Open(sequence.ToArray());
        Assert.Equal(sequence.Frontier, reopened.Frontier);
        Assert.Equal(sequence.Append([42]).Trailer!.ApexDigest, reopened.Append([42]).Trailer!.ApexDigest);
        Assert.Equal(sequence.ToArray(), reopened.ToArray());
    }

    [Fact]
    public void Changing_one_payload_byte_breaks_the_sequence()
    {
        var sequence = DareSequence.Create(DareSequenceType.Merkle);
        for (var i = 0; i < 5; i++) sequence.Append(FramePayload);
        var bytes = sequence.ToArray();
        var frame2 = DareSequence.ReadFrames(bytes)[2];
        var index = bytes.AsSpan((int)frame2.Position).IndexOf(FramePayload.AsSpan(0, 16)) + (int)frame2.Position + 10;
        bytes[index] ^= 1;
        var e = Assert.Throws<MeshCryptoException>(() => DareSequence.Open(bytes));
        Assert.Contains("frame 2 PayloadDigest", e.Message);
    }

    [Fact]
    public void Frames_can_be_walked_backwards_from_the_end()
    {
        var sequence = DareSequence.Create(DareSequenceType.List);
        for (var i = 0; i < 4; i++) sequence.Append(FramePayload[..(i * 100)]);
        var bytes = sequence.ToArray();
        var starts = DareSequence.ReadFrames(bytes).Select(f => f.Position).Reverse().ToList();
        long end = bytes.Length;
        foreach (var start in starts)
        {
            Assert.Equal(start, DareFrame.PreviousStart(bytes, end));
            end = start;
        }
    }

    [Fact]
    public void Frontier_apex_equals_the_full_tree_apex_for_every_size()
    {
        var frontier = MerkleFrontier.Empty;
        var leaves = new List<byte[]>();
        for (var n = 0; n < 70; n++)
        {
            var digest = DareAlgorithms.Digest("S512", BitConverter.GetBytes(n));
            frontier = frontier.Append(digest);
            leaves.Add(MerkleTree.Leaf(digest));
            Assert.Equal(MerkleTree.Apex(leaves), frontier.Apex);
            Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)(n + 1)), frontier.Roots.Count);
            Assert.Equal(frontier, MerkleFrontier.FromBytes(frontier.ToBytes()));
        }
    }

    [Fact]
    public void Truncated_frontier_bytes_are_a_format_error()
    {
        var frontier = MerkleFrontier.Empty.Append(new byte[64]).Append(new byte[64]).Append(new byte[64]);
        var bytes = frontier.ToBytes();
        Assert.Throws<MeshFormatException>(() => MerkleFrontier.FromBytes(bytes[..^1]));
    }

    [Fact]
    public void Every_downloaded_range_verifies_against_the_apex_and_a_changed_leaf_does_not()
    {
        for (var size = 1; size <= 17; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleTree.Leaf(DareAlgorithms.Digest("S512", [(byte)i]))).ToList();
            var apex = MerkleTree.Apex(leaves);
            for (var first = 0; first < size; first++)
                for (var count = 1; first + count <= size; count++)
                {
                    var range = leaves.GetRange(first, count);
                    var proof = MerkleTree.RangeProof(leaves, first, count);
                    Assert.True(MerkleTree.VerifyRange(apex, size, first, range, proof), $"{size} {first} {count}");
                    var forged = range.Select(x => x.ToArray()).ToList();
                    forged[^1][0] ^= 1;
                    Assert.False(MerkleTree.VerifyRange(apex, size, first, forged, proof), $"forged {size} {first} {count}");
                }
        }
    }

    [Fact]
    public void Signed_apex_in_the_last_frame_verifies_with_the_signer_key()
    {
        using var key = (Mesh.Core.Cryptography.SignatureKeyPair)Mesh.Core.Cryptography.KeyPair.Generate("Ed25519");
        var sequence = DareSequence.Create(DareSequenceType.Merkle);
        sequence.Append(FramePayload);
        var last = sequence.Append(FramePayload, apexSigner: DareKeyPairs.Signer(key));
        Assert.True(DareSequence.VerifyApexSignature(last.Trailer!, DareKeyPairs.Verifier(key)));
        last.Trailer!.ApexDigest![0] ^= 1;
        Assert.False(DareSequence.VerifyApexSignature(last.Trailer, DareKeyPairs.Verifier(key)));
    }

    sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => BitConverter.ToInt32(obj);
    }
}
