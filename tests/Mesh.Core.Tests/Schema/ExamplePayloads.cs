using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Schema;

/// <summary>JSON payloads printed in the vector .md files (between ~~~~ fences) and in the seed text.</summary>
public static class ExamplePayloads
{
    public sealed record Payload(string Source, byte[] Json);

    /// <summary>Every fenced block of Protocol*.md and Schema*.md that is one tagged object.</summary>
    public static IEnumerable<Payload> FromVectors()
    {
        var dir = Path.GetDirectoryName(SharedFiles.Vector("UDFDigest.md"))!;
        foreach (var file in Directory.GetFiles(dir, "*.md").Where(f => Path.GetFileName(f).StartsWith("Protocol") || Path.GetFileName(f).StartsWith("Schema")).Order())
        {
            var text = File.ReadAllText(file);
            var blocks = Regex.Matches(text, @"^~~~~\s*\n(.*?)\n~~~~", RegexOptions.Singleline | RegexOptions.Multiline);
            var n = 0;
            foreach (Match m in blocks)
            {
                n++;
                var body = m.Groups[1].Value.Trim();
                if (!body.StartsWith('{')) continue;
                var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                if (!IsTaggedObject(bytes)) continue;
                yield return new Payload($"{Path.GetFileName(file)}#{n}", bytes);
            }
        }
    }

    /// <summary>Payloads of the envelopes inside <paramref name="json"/> that are tagged schema objects.</summary>
    public static IEnumerable<byte[]> EnvelopePayloads(byte[] json)
    {
        var found = new List<byte[]>();
        Collect(JsonNode.Parse(MeshJson.AsJson(json).ToArray()), found);
        return found;
    }

    static void Collect(JsonNode? node, List<byte[]> found)
    {
        switch (node)
        {
            case JsonArray a:
                if (a.Count >= 2 && a[0] is JsonObject && a[1] is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    try
                    {
                        var payload = Base64Url.Decode(s);
                        if (IsTaggedObject(payload)) found.Add(payload);
                    }
                    catch (MeshFormatException)
                    {
                        // An encrypted or non-JSON payload: nothing to check here.
                    }
                }
                foreach (var item in a) Collect(item, found);
                break;
            case JsonObject o:
                foreach (var (_, value) in o) Collect(value, found);
                break;
        }
    }

    public static bool IsTaggedObject(byte[] bytes)
    {
        try
        {
            if (JsonNode.Parse(MeshJson.AsJson(bytes).ToArray()) is not JsonObject o || o.Count != 1) return false;
            return MeshSchemaTags.TryGetType(o.First().Key, out _);
        }
        catch (Exception e) when (e is MeshFormatException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The JSON as a node with the newer spellings (Store, MeshHelloRequest...) renamed to the ones written.</summary>
    public static JsonNode Normalized(ReadOnlySpan<byte> json)
    {
        var node = JsonNode.Parse(MeshJson.AsJson(json).ToArray())!;
        Rename(node);
        return node;
    }

    static void Rename(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray a:
                foreach (var item in a) Rename(item);
                break;
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var target = MeshSchemaTags.AlternateTagSpellings.GetValueOrDefault(key)
                        ?? MeshSchemaTags.AlternateFieldSpellings.Where(p => p.Key.Field == key).Select(p => p.Value).FirstOrDefault();
                    if (target is not null && target != key)
                    {
                        var value = o[key];
                        o.Remove(key);
                        o[target] = value;
                    }
                }
                foreach (var (_, value) in o) Rename(value);
                break;
        }
    }

    /// <summary>The first path where two JSON trees differ, or null when they are equal.</summary>
    public static string? FirstDifference(JsonNode? a, JsonNode? b, string path = "$")
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var (k, v) in x)
                {
                    if (!y.ContainsKey(k)) return $"{path}.{k} missing after the round trip";
                    var d = FirstDifference(v, y[k], $"{path}.{k}");
                    if (d is not null) return d;
                }
                foreach (var (k, _) in y)
                    if (!x.ContainsKey(k)) return $"{path}.{k} added by the round trip";
                return null;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count) return $"{path} has {x.Count} items, then {y.Count}";
                for (var i = 0; i < x.Count; i++)
                {
                    var d = FirstDifference(x[i], y[i], $"{path}[{i}]");
                    if (d is not null) return d;
                }
                return null;
            default:
                return JsonNode.DeepEquals(a, b) ? null : $"{path}: {a?.ToJsonString()} became {b?.ToJsonString()}";
        }
    }
}
