using System.Net;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Grpc.Tests.Support;

/// <summary>The tester service on Kestrel, h2c on 127.0.0.1 and a free port, as a service would run it.</summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    /// <summary>The server's receive limit; small so the limit is cheap to exceed.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024;

    WebApplication? app;

    public HandlerProbe Probe { get; } = new();

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(Probe);
        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = MaxReceiveMessageSize);
        app = builder.Build();
        app.MapGrpcService<TesterService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public Tester.TesterClient CreateClient(GrpcChannelOptions? options = null) => new(CreateChannel(options));

    /// <summary>A plain HTTP/2 (h2c) client for sending requests that a gRPC client would never send.</summary>
    public HttpClient CreateRawClient() => new()
    {
        BaseAddress = Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
