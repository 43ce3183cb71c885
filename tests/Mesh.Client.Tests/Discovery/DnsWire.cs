using System.Net;
using System.Net.Sockets;

namespace Mesh.Client.Tests.Discovery;

/// <summary>Hand-built RFC 1035 / RFC 2782 packets, written byte by byte so the codec is not tested against itself.</summary>
internal static class DnsWire
{
    // QNAME _mmm._tcp.example.com: 04 "_mmm" 04 "_tcp" 07 "example" 03 "com" 00 (23 octets at offset 12).
    public static readonly byte[] QuestionName =
    [
        0x04, (byte)'_', (byte)'m', (byte)'m', (byte)'m',
        0x04, (byte)'_', (byte)'t', (byte)'c', (byte)'p',
        0x07, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
        0x03, (byte)'c', (byte)'o', (byte)'m', 0x00,
    ];

    public static byte[] Query(ushort id) =>
    [
        (byte)(id >> 8), (byte)id, 0x01, 0x00, // ID, flags: RD
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // QDCOUNT 1, AN/NS/AR 0
        .. QuestionName,
        0x00, 0x21, 0x00, 0x01, // QTYPE SRV (33), QCLASS IN
    ];

    /// <summary>
    /// A response with two SRV answers: the owner names point to the question (C0 0C); the first
    /// target "host1" + pointer to "example.com" (offset 22), the second a full name "h2.example.net".
    /// </summary>
    public static byte[] Response(ushort id, byte responseCode = 0, bool truncated = false)
    {
        var flags2 = (byte)(0x80 | responseCode); // RA, RCODE
        var flags1 = (byte)(0x81 | (truncated ? 0x02 : 0)); // QR, RD, TC
        byte[] header = [(byte)(id >> 8), (byte)id, flags1, flags2, 0x00, 0x01, 0x00, (byte)(responseCode == 0 ? 2 : 0), 0x00, 0x00, 0x00, 0x00];
        byte[] question = [.. QuestionName, 0x00, 0x21, 0x00, 0x01];
        byte[] first =
        [
            0xC0, 0x0C, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, // owner, SRV, IN, TTL 3600
            0x00, 0x0E, // RDLENGTH 14
            0x00, 0x0A, 0x00, 0x3C, 0x01, 0xBB, // priority 10, weight 60, port 443
            0x05, (byte)'h', (byte)'o', (byte)'s', (byte)'t', (byte)'1', 0xC0, 0x16,
        ];
        byte[] second =
        [
            0xC0, 0x0C, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, // TTL 60
            0x00, 0x16, // RDLENGTH 22
            0x00, 0x05, 0x00, 0x00, 0x20, 0xFB, // priority 5, weight 0, port 8443
            0x02, (byte)'h', (byte)'2', 0x07, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
            0x03, (byte)'n', (byte)'e', (byte)'t', 0x00,
        ];
        return responseCode == 0 ? [.. header, .. question, .. first, .. second] : [.. header, .. question];
    }
}

/// <summary>A real UDP DNS responder on 127.0.0.1 answering every query with <see cref="DnsWire.Response"/>.</summary>
internal sealed class LoopbackDnsServer : IDisposable
{
    readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public LoopbackDnsServer(Func<byte[], byte[]?> answer)
    {
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                UdpReceiveResult query;
                try { query = await socket.ReceiveAsync(stop.Token); }
                catch (OperationCanceledException) { return; }
                Queries.Add(query.Buffer);
                if (answer(query.Buffer) is { } response) await socket.SendAsync(response, query.RemoteEndPoint);
            }
        });
    }

    public IPEndPoint Endpoint => (IPEndPoint)socket.Client.LocalEndPoint!;

    public System.Collections.Concurrent.ConcurrentBag<byte[]> Queries { get; } = [];

    public static ushort IdOf(byte[] query) => (ushort)(query[0] << 8 | query[1]);

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        stop.Dispose();
    }
}
