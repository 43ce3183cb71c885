using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Mesh.Integration.Tests.Support;

/// <summary>HTTP/1.1 over TLS byte for byte: for requests HttpClient would not send and for exact wire dumps.</summary>
internal static class RawHttps
{
    public static async Task<SslStream> ConnectAsync(MeshStack stack)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", stack.HttpsPort);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, stack.Trust);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        return tls;
    }

    /// <summary>Sends <paramref name="request"/> (with Connection: close) and returns every response byte.</summary>
    public static async Task<byte[]> ExchangeAsync(MeshStack stack, byte[] request)
    {
        await using var tls = await ConnectAsync(stack);
        await tls.WriteAsync(request);
        await tls.FlushAsync();
        return await ReadToEndAsync(tls);
    }

    public static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                response.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // The server may reset the connection after its response (an unread request body).
        }
        return response.ToArray();
    }

    public static byte[] Request(string contentType, byte[] body, string path = "/.well-known/mmm")
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    /// <summary>Splits a raw response into its head (status line and headers) and its body.</summary>
    public static (string Head, byte[] Body) Split(byte[] response)
    {
        var end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) throw new InvalidOperationException("no complete response head: " + Encoding.ASCII.GetString(response));
        return (Encoding.ASCII.GetString(response, 0, end), response[(end + 4)..]);
    }
}
