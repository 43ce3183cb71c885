using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Mesh.Client.Discovery;

/// <summary>Looks up SRV records over UDP (RFC 1035 §4.2.1), asking each name server in turn.</summary>
public sealed class SrvResolver
{
    readonly IReadOnlyList<IPEndPoint> servers;
    readonly TimeSpan timeout;

    public SrvResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan? timeout = null)
    {
        if (servers.Count == 0) throw new MeshDiscoveryException("no DNS name server is configured");
        this.servers = servers;
        this.timeout = timeout ?? TimeSpan.FromSeconds(3);
    }

    /// <summary>The name servers of /etc/resolv.conf (port 53).</summary>
    public static SrvResolver FromSystem(TimeSpan? timeout = null, string resolvConf = "/etc/resolv.conf") =>
        new(ReadResolvConf(resolvConf), timeout);

    public static IReadOnlyList<IPEndPoint> ReadResolvConf(string path)
    {
        if (!File.Exists(path)) throw new MeshDiscoveryException($"{path} does not exist: no system DNS resolver");
        var servers = new List<IPEndPoint>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1].Split('%')[0], out var address))
                servers.Add(new IPEndPoint(address, 53));
        }
        if (servers.Count == 0) throw new MeshDiscoveryException($"{path} names no nameserver");
        return servers;
    }

    /// <summary>The SRV records of <paramref name="name"/>; empty when the name does not exist or has none.</summary>
    public async Task<IReadOnlyList<SrvRecord>> LookupAsync(string name, CancellationToken cancellation = default)
    {
        var problems = new List<string>();
        foreach (var server in servers)
        {
            var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            var query = DnsMessage.Query(id, name, DnsMessage.TypeSrv);
            using var socket = new UdpClient(server.AddressFamily);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(timeout);
            try
            {
                await socket.SendAsync(query, server, deadline.Token);
                while (true)
                {
                    var received = await socket.ReceiveAsync(deadline.Token);
                    // Answers from elsewhere or to another query are ignored (RFC 5452 §9.1).
                    if (!received.RemoteEndPoint.Equals(server)) continue;
                    var response = DnsMessage.Parse(received.Buffer);
                    if (response.Id != id || response.QuestionType != DnsMessage.TypeSrv ||
                        !string.Equals(response.QuestionName.TrimEnd('.'), name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) continue;
                    if (response.Truncated) throw new MeshDiscoveryException($"the SRV answer for {name} from {server} is truncated (DNS over TCP is not supported)");
                    if (response.ResponseCode == DnsMessage.NameError) return [];
                    if (response.ResponseCode != 0) { problems.Add($"{server} answered RCODE {response.ResponseCode}"); break; }
                    return response.Services;
                }
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                problems.Add($"{server} did not answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (SocketException e)
            {
                problems.Add($"{server}: {e.Message}");
            }
        }
        throw new MeshDiscoveryException($"SRV lookup of {name} failed: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// RFC 2782 order: lowest priority first; within a priority, repeatedly pick a record with
    /// probability proportional to its weight (weight 0 records keep a small chance, placed first).
    /// </summary>
    public static IReadOnlyList<SrvRecord> Order(IEnumerable<SrvRecord> records, Func<int, int>? random = null)
    {
        random ??= RandomNumberGenerator.GetInt32;
        var ordered = new List<SrvRecord>();
        // A single "." target means the service is decidedly not available (RFC 2782).
        foreach (var group in records.Where(r => r.Target.Length > 0 && r.Target != ".").GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var pool = group.OrderBy(r => r.Weight == 0 ? 0 : 1).ToList();
            while (pool.Count > 0)
            {
                var total = pool.Sum(r => r.Weight);
                var pick = random(total + 1);
                var running = 0;
                var chosen = pool[^1];
                foreach (var record in pool)
                {
                    running += record.Weight;
                    if (running >= pick) { chosen = record; break; }
                }
                ordered.Add(chosen);
                pool.Remove(chosen);
            }
        }
        return ordered;
    }
}
