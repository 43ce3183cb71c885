using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Mesh.Core.Dare;

namespace Mesh.Core.Benchmarks;

/// <summary>
/// Appending to a Merkle tree that holds <see cref="Frames"/> frames: each iteration starts from a
/// tree of exactly that many frames (reset before every iteration) and appends <see cref="Batch"/>
/// more, so times are per frame and the tree stays between Frames and Frames + Batch. The baseline
/// is the one hash a leaf needs (SHA-512 of 128 octets); the frontier adds the merges and the apex
/// fold, the full sequence adds the frame (header/trailer JSON, framing, payload digest).
/// </summary>
[Config(typeof(GrowingConfig))]
public class MerkleBenchmarks
{
    const int Batch = 1000;
    static readonly byte[] Payload = new byte[256];
    readonly byte[] block = new byte[128];
    MerkleFrontier initial;
    MerkleFrontier frontier;
    DareSequence sequence = null!;
    byte[] digest = null!;

    [Params(1_000, 1_000_000)]
    public int Frames { get; set; }

    [GlobalSetup(Targets = [nameof(Frontier_append_and_apex), nameof(Raw_SHA512_of_a_leaf)])]
    public void SetupFrontier()
    {
        digest = SHA512.HashData(Payload);
        initial = MerkleFrontier.Empty;
        for (var i = 0; i < Frames; i++) initial = initial.Append(digest);
    }

    /// <summary>The frontier is a value: going back to <see cref="Frames"/> frames costs nothing.</summary>
    [IterationSetup(Targets = [nameof(Frontier_append_and_apex), nameof(Raw_SHA512_of_a_leaf)])]
    public void ResetFrontier() => frontier = initial;

    /// <summary>A sequence only grows: it is built again, to <see cref="Frames"/> frames, before every iteration.</summary>
    [IterationSetup(Target = nameof(Sequence_append_frame))]
    public void SetupSequence()
    {
        sequence = null!;
        sequence = DareSequence.Create(DareSequenceType.Merkle);
        for (var i = 0; i < Frames; i++) sequence.Append(Payload);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("append")]
    public byte[] Raw_SHA512_of_a_leaf()
    {
        byte[] h = [];
        for (var i = 0; i < Batch; i++) h = SHA512.HashData(block);
        return h;
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("append")]
    public byte[] Frontier_append_and_apex()
    {
        byte[] apex = [];
        for (var i = 0; i < Batch; i++)
        {
            frontier = frontier.Append(digest);
            apex = frontier.Apex;
        }
        return apex;
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("append")]
    public long Sequence_append_frame()
    {
        for (var i = 0; i < Batch; i++) sequence.Append(Payload);
        return sequence.Count;
    }
}
