using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Benchmarks;

/// <summary>
/// A Download response of <see cref="Entries"/> envelopes (catalog-style headers, 512-octet
/// payloads) written and read as JSON (the baseline) and as JSON-B.
/// </summary>
[Config(typeof(FormatsConfig))]
public class JsonBenchmarks
{
    public const int Entries = 1000;
    DownloadResponse response = null!;
    byte[] json = null!;
    byte[] jsonB = null!;

    public static DownloadResponse Response()
    {
        var random = new Random(20240901);
        var envelopes = Enumerable.Range(0, Entries).Select(i =>
        {
            var meta = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"UniqueId\":\"entry-{i:D6}\",\"Event\":\"New\"}}"));
            var digest = new byte[64];
            random.NextBytes(digest);
            var header = JsonDocument.Parse(
                $"{{\"EnvelopeId\":\"MB{i:D6}\",\"ContentMetaData\":\"{meta}\",\"SequenceInfo\":{{\"Index\":{i + 1},\"TreePosition\":{i}}},\"dig\":\"S512\"}}").RootElement.Clone();
            var trailer = JsonDocument.Parse($"{{\"PayloadDigest\":\"{Base64Url.Encode(digest)}\"}}").RootElement.Clone();
            var payload = new byte[512];
            random.NextBytes(payload);
            return new Enveloped { Header = header, Payload = payload, Trailer = trailer };
        }).ToList();
        return new DownloadResponse { Status = 200, Updates = [new ContainerUpdate { Container = "Contact", Index = Entries, Envelopes = envelopes }] };
    }

    [GlobalSetup]
    public void Setup()
    {
        response = Response();
        json = MeshJson.Serialize(response);
        jsonB = MeshJson.Serialize(response, MeshEncoding.JsonB);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("encode")]
    public byte[] Encode_JSON() => MeshJson.Serialize(response);

    [Benchmark, BenchmarkCategory("encode")]
    public byte[] Encode_JSON_B() => MeshJson.Serialize(response, MeshEncoding.JsonB);

    [Benchmark(Baseline = true), BenchmarkCategory("decode")]
    public int Decode_JSON() => MeshJson.Deserialize<DownloadResponse>(json).Updates![0].Envelopes!.Count;

    [Benchmark, BenchmarkCategory("decode")]
    public int Decode_JSON_B() => MeshJson.Deserialize<DownloadResponse>(jsonB).Updates![0].Envelopes!.Count;
}
