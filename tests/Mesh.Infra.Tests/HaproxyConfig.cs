namespace Mesh.Infra.Tests;

/// <summary>The few parts of haproxy.cfg the tests compare: backend servers and frontend binds.</summary>
internal static class HaproxyConfig
{
    public sealed record Server(string Name, string Address);

    public static IReadOnlyDictionary<string, List<Server>> Backends(string config)
    {
        var backends = new Dictionary<string, List<Server>>();
        List<Server>? current = null;
        foreach (var words in Lines(config))
        {
            if (words[0] is "backend")
                backends[words[1]] = current = [];
            else if (words[0] is "frontend" or "defaults" or "global" or "resolvers" or "listen")
                current = null;
            else if (words[0] == "server" && current is not null)
                current.Add(new Server(words[1], words[2]));
        }
        return backends;
    }

    /// <summary>Ports of the 'bind :PORT' lines.</summary>
    public static IReadOnlyList<string> Binds(string config) =>
        Lines(config).Where(w => w[0] == "bind").Select(w => w[1].Split(':')[^1]).ToList();

    private static IEnumerable<string[]> Lines(string config) =>
        config.Split('\n')
            .Select(line => line.Split('#')[0].Split(' ', '\t').Where(w => w.Length > 0).ToArray())
            .Where(words => words.Length > 0);
}
