using System.Buffers;
using System.Net;
using Grpc.Core;
using Mesh.Grpc.Benchmarks.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Grpc.Benchmarks;

/// <summary>
/// One Kestrel server, h2c on 127.0.0.1 and a free port (as the services listen), with the Echo gRPC
/// service and, beside it, <see cref="RawPath"/>: a plain endpoint that returns the bytes it is POSTed.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    public const string RawPath = "/raw/echo";

    /// <summary>The same echo answered as gRPC answers (content type, no length, grpc-status trailer), with no gRPC code.</summary>
    public const string ShapedPath = "/raw/echo-shaped";

    readonly WebApplication app;

    EchoServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EchoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        // As the services register theirs: one stateless instance for every call.
        builder.Services.AddSingleton<EchoService>();
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        app.MapPost(RawPath, EchoRawAsync);
        app.MapPost(ShapedPath, EchoShapedAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EchoServer(app, new Uri(address));
    }

    /// <summary>Reads the whole body, then writes it back: the least an HTTP/2 request/response can do.</summary>
    static Task EchoRawAsync(HttpContext context) => EchoAsync(context, shaped: false);

    /// <summary>
    /// The same echo in a response shaped as a unary gRPC answer: HEADERS with content-type
    /// application/grpc, DATA, then trailers carrying grpc-status 0. The cost HTTP/2 itself puts on a
    /// gRPC exchange, without any gRPC code.
    /// </summary>
    static Task EchoShapedAsync(HttpContext context) => EchoAsync(context, shaped: true);

    static async Task EchoAsync(HttpContext context, bool shaped)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            if (result.IsCompleted)
            {
                var body = result.Buffer;
                var response = context.Response;
                if (shaped) response.ContentType = "application/grpc";
                else
                {
                    response.ContentType = "application/octet-stream";
                    response.ContentLength = body.Length;
                }
                foreach (var segment in body) response.BodyWriter.Write(segment.Span);
                reader.AdvanceTo(body.End);
                if (shaped)
                {
                    response.AppendTrailer("grpc-status", "0");
                    await response.CompleteAsync();
                }
                else await response.BodyWriter.FlushAsync(context.RequestAborted);
                return;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    internal sealed class EchoService : Echo.EchoBase
    {
        public override Task<Payload> Unary(Payload request, ServerCallContext context) => Task.FromResult(request);
    }
}
