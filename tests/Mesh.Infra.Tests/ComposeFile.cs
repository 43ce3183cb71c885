using YamlDotNet.RepresentationModel;

namespace Mesh.Infra.Tests;

/// <summary>docker-compose.yml as a tree, with accessors for what the tests compare.</summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _services;

    public ComposeFile(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        _services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
    }

    public static ComposeFile Load() => new(Repository.Read("docker-compose.yml"));

    public IEnumerable<string> ServiceNames => _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public YamlMappingNode Service(string name) =>
        _services.Children.TryGetValue(new YamlScalarNode(name), out var node)
            ? (YamlMappingNode)node
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'.");

    public static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
                return null;
            current = next;
        }
        return (current as YamlScalarNode)?.Value;
    }

    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("environment"), out var env)
            ? ((YamlMappingNode)env).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!)
            : new Dictionary<string, string>();

    public static IReadOnlyList<string> Sequence(YamlMappingNode service, string key) =>
        service.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!).ToList()
            : [];

    public static IReadOnlyDictionary<string, string> DependsOn(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("depends_on"), out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(
                p => ((YamlScalarNode)p.Key).Value!,
                p => Scalar((YamlMappingNode)p.Value, "condition") ?? "")
            : new Dictionary<string, string>();

    /// <summary>The health check command joined with spaces ("CMD curl -fsS http://...").</summary>
    public static string HealthCheck(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("healthcheck"), out var node)
        && ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode("test"), out var test)
            ? string.Join(' ', ((YamlSequenceNode)test).Children.Select(n => ((YamlScalarNode)n).Value))
            : "";
}
