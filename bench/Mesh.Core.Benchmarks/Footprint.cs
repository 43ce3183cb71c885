using System.Diagnostics;
using Mesh.Core.Dare;
using Mesh.Core.Json;

namespace Mesh.Core.Benchmarks;

/// <summary>Sizes that are not timings: encoded bytes, and memory held per frame by the Merkle structures.</summary>
public static class Footprint
{
    public static void Print()
    {
        var response = JsonBenchmarks.Response();
        var json = MeshJson.Serialize(response).Length;
        var jsonB = MeshJson.Serialize(response, MeshEncoding.JsonB).Length;
        var jsonC = MeshJson.Serialize(response, MeshEncoding.JsonC).Length;
        Console.WriteLine($"download-response entries={JsonBenchmarks.Entries} json_bytes={json} jsonb_bytes={jsonB} jsonc_bytes={jsonC} jsonb_ratio={(double)jsonB / json:F3}");
        foreach (var frames in new[] { 1_000, 1_000_000 })
        {
            var digest = System.Security.Cryptography.SHA512.HashData(new byte[256]);
            var frontier = MerkleFrontier.Empty;
            for (var i = 0; i < frames; i++) frontier = frontier.Append(digest);
            var before = GC.GetTotalMemory(true);
            var watch = Stopwatch.StartNew();
            var sequence = DareSequence.Create(DareSequenceType.Merkle);
            for (var i = 0; i < frames; i++) sequence.Append(new byte[256]);
            watch.Stop();
            var sequenceHeap = GC.GetTotalMemory(true) - before;
            var bytes = sequence.ToArray().Length;
            Console.WriteLine($"merkle frames={frames} frontier_state_bytes={frontier.ToBytes().Length} " +
                $"sequence_bytes={bytes} sequence_bytes_per_frame={(double)bytes / frames:F1} sequence_heap_bytes_per_frame={(double)sequenceHeap / frames:F1} " +
                $"sequence_build_us_per_frame={watch.Elapsed.TotalMicroseconds / frames:F2}");
            GC.KeepAlive(sequence);
        }
    }
}
