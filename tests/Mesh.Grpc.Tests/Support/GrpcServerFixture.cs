using System.Net;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Grpc.Tests.Support;

/// <summary>The tester service on Kestrel, h2c on 127.0.0.1 and a free port, as a service would run it.</summary>
public sealed class GrpcServerFixture : IAsyncLifetime
{
    /// <summary>The server's receive limit; small so the limit is cheap to exceed.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024;

    WebApplication? app;

    public HandlerProbe Probe { get; } = new();

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync() =>
        (app, Address) = await GrpcTestHost.StartAsync(services => services.AddSingleton(Probe), app => app.MapGrpcService<TesterService>(),
            options => options.MaxReceiveMessageSize = MaxReceiveMessageSize);

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
