using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mesh.Grpc.Server;

namespace Mesh.Grpc.Tests.Support;

/// <summary>A gRPC server on Kestrel, h2c on 127.0.0.1 and a free port, as a service would run it.</summary>
public static class GrpcTestHost
{
    /// <param name="register">Registrations after AddGrpc (which <paramref name="configure"/> configures).</param>
    /// <param name="map">Maps the services, e.g. MapGrpcService.</param>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<IServiceCollection> register, Action<WebApplication> map,
        Action<GrpcServiceOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(configure);
        register(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }
}
