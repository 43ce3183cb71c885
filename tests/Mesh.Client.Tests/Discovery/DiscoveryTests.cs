using Mesh.Client.Discovery;

namespace Mesh.Client.Tests.Discovery;

public sealed class DiscoveryTests
{
    [Fact]
    public void SRV_query_is_the_RFC_1035_wire_form()
    {
        Assert.Equal(DnsWire.Query(0x1234), DnsMessage.Query(0x1234, "_mmm._tcp.example.com", DnsMessage.TypeSrv));
        Assert.Equal(DnsWire.Query(0x1234), DnsMessage.Query(0x1234, "_mmm._tcp.example.com.", DnsMessage.TypeSrv));
    }

    [Fact]
    public void SRV_answers_with_compressed_names_decode_to_priority_weight_port_and_target()
    {
        var response = DnsMessage.Parse(DnsWire.Response(0xBEEF));
        Assert.Equal(0xBEEF, response.Id);
        Assert.Equal("_mmm._tcp.example.com", response.QuestionName);
        Assert.Equal(DnsMessage.TypeSrv, response.QuestionType);
        Assert.Equal(
            [new SrvRecord(10, 60, 443, "host1.example.com", 3600), new SrvRecord(5, 0, 8443, "h2.example.net", 60)],
            response.Services);
    }

    [Fact]
    public void Malformed_responses_are_discovery_errors_naming_the_problem()
    {
        var good = DnsWire.Response(1);
        Assert.Contains("shorter than its header", Assert.Throws<MeshDiscoveryException>(() => DnsMessage.Parse(good[..5])).Message);
        for (var cut = 12; cut < good.Length; cut++)
        {
            Assert.Throws<MeshDiscoveryException>(() => DnsMessage.Parse(good[..cut]));
        }
        var loop = good.ToArray();
        loop[12 + 23 + 4] = 0xC0; // first answer's owner points at itself
        loop[12 + 23 + 5] = (byte)(12 + 23 + 4);
        Assert.Contains("does not point backwards", Assert.Throws<MeshDiscoveryException>(() => DnsMessage.Parse(loop)).Message);
        var query = DnsWire.Query(1);
        Assert.Contains("is a query", Assert.Throws<MeshDiscoveryException>(() => DnsMessage.Parse(query)).Message);
        Assert.Throws<MeshDiscoveryException>(() => DnsMessage.Query(1, "bad..name", DnsMessage.TypeSrv));
    }

    [Fact]
    public void Records_are_ordered_by_priority_then_by_weight_as_RFC_2782_says()
    {
        SrvRecord a = new(10, 0, 1, "a", 0), b = new(10, 90, 2, "b", 0), c = new(10, 10, 3, "c", 0), d = new(1, 5, 4, "d", 0), gone = new(0, 0, 0, ".", 0);
        // The random draw always returns its top value: the pick is the last record whose running sum reaches the total.
        Assert.Equal([d, c, b, a], SrvResolver.Order([a, b, c, d, gone], max => max - 1));
        // A zero draw takes the zero-weight record first (it sits at the front of its priority).
        Assert.Equal([d, a, b, c], SrvResolver.Order([a, b, c, d], _ => 0));
        // Over many draws the weight 90 record comes first about nine times in ten.
        var firsts = Enumerable.Range(0, 2000).Count(_ => SrvResolver.Order([b, c])[0] == b);
        Assert.InRange(firsts, 1650, 1950);
    }

    [Fact]
    public async Task SRV_lookup_over_UDP_reads_the_answers_of_a_real_responder()
    {
        using var server = new LoopbackDnsServer(q => DnsWire.Response(LoopbackDnsServer.IdOf(q)));
        var resolver = new SrvResolver([server.Endpoint], TimeSpan.FromSeconds(5));
        var records = await resolver.LookupAsync("_mmm._tcp.example.com");
        Assert.Equal(["host1.example.com", "h2.example.net"], records.Select(r => r.Target));
        var query = Assert.Single(server.Queries);
        Assert.Equal(DnsWire.Query(LoopbackDnsServer.IdOf(query)), query);
    }

    [Fact]
    public async Task Answers_with_another_id_are_ignored_and_silence_times_out()
    {
        using var server = new LoopbackDnsServer(q => DnsWire.Response((ushort)(LoopbackDnsServer.IdOf(q) ^ 1)));
        var resolver = new SrvResolver([server.Endpoint], TimeSpan.FromMilliseconds(400));
        var error = await Assert.ThrowsAsync<MeshDiscoveryException>(() => resolver.LookupAsync("_mmm._tcp.example.com"));
        Assert.Contains("did not answer", error.Message);
    }

    [Fact]
    public async Task A_name_error_means_no_service_and_truncation_is_reported()
    {
        using var missing = new LoopbackDnsServer(q => DnsWire.Response(LoopbackDnsServer.IdOf(q), responseCode: 3));
        var locator = new ServiceLocator(resolver: () => new SrvResolver([missing.Endpoint], TimeSpan.FromSeconds(5)));
        var error = await Assert.ThrowsAsync<MeshDiscoveryException>(() => locator.LocateAsync("example.com"));
        Assert.Contains("_mmm._tcp.example.com", error.Message);

        using var truncated = new LoopbackDnsServer(q => DnsWire.Response(LoopbackDnsServer.IdOf(q), truncated: true));
        var resolver = new SrvResolver([truncated.Endpoint], TimeSpan.FromSeconds(5));
        Assert.Contains("truncated", (await Assert.ThrowsAsync<MeshDiscoveryException>(() => resolver.LookupAsync("_mmm._tcp.example.com"))).Message);
    }

    [Fact]
    public async Task Locator_uses_an_explicit_URL_then_the_static_map_then_SRV_in_order()
    {
        using var server = new LoopbackDnsServer(q => DnsWire.Response(LoopbackDnsServer.IdOf(q)));
        var locator = new ServiceLocator(
            new Dictionary<string, Uri> { ["example.org"] = new("http://127.0.0.1:5000") },
            () => new SrvResolver([server.Endpoint], TimeSpan.FromSeconds(5)));

        Assert.Equal([new Uri("https://mesh.test/.well-known/mmm")], await locator.LocateAsync("https://mesh.test"));
        Assert.Equal([new Uri("https://mesh.test/custom")], await locator.LocateAsync("https://mesh.test/custom"));
        Assert.Equal([new Uri("http://127.0.0.1:5000/.well-known/mmm")], await locator.LocateAsync("alice@Example.org"));
        Assert.Empty(server.Queries);
        Assert.Equal([new Uri("https://h2.example.net:8443/.well-known/mmm"), new Uri("https://host1.example.com/.well-known/mmm")],
            await locator.LocateAsync("alice@example.com"));
        await Assert.ThrowsAsync<MeshDiscoveryException>(() => locator.LocateAsync("ftp://example.com"));
        await Assert.ThrowsAsync<MeshDiscoveryException>(() => new ServiceLocator().LocateAsync("example.com"));
    }

    [Fact]
    public void Name_servers_are_read_from_resolv_conf()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nsearch example.com\nnameserver 192.0.2.53\nnameserver\t2001:db8::1\noptions ndots:1\n");
            Assert.Equal(["192.0.2.53:53", "[2001:db8::1]:53"], SrvResolver.ReadResolvConf(path).Select(e => e.ToString()));
            File.WriteAllText(path, "search example.com\n");
            Assert.Throws<MeshDiscoveryException>(() => SrvResolver.ReadResolvConf(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
