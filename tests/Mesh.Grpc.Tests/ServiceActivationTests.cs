using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.Support;
using Mesh.Grpc.Tests.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Grpc.Tests;

/// <summary>Which instance of a service serves a call, by how the service is registered.</summary>
public sealed class ServiceActivationTests
{
    /// <summary>Answers Echo with the id of the instance that served it; counts the instances disposed.</summary>
    public sealed class InstanceService : Tester.TesterBase, IDisposable
    {
        public static int Disposed;

        readonly string id = Guid.NewGuid().ToString("N");

        public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply { Text = id });

        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    static async Task<(string First, string Second)> TwoCallsAsync(Action<IServiceCollection> register)
    {
        var (app, address) = await GrpcTestHost.StartAsync(register, app => app.MapGrpcService<InstanceService>());
        await using var running = app;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Tester.TesterClient(channel);
        var first = await client.EchoAsync(new EchoRequest());
        var second = await client.EchoAsync(new EchoRequest());
        return (first.Text, second.Text);
    }

    [Fact]
    public async Task A_service_registered_as_a_singleton_serves_every_call()
    {
        var (first, second) = await TwoCallsAsync(services => services.AddSingleton<InstanceService>());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_service_registered_as_scoped_gets_an_instance_per_call()
    {
        var (first, second) = await TwoCallsAsync(services => services.AddScoped<InstanceService>());

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task An_unregistered_service_is_made_per_call_and_disposed_after_it()
    {
        var before = Volatile.Read(ref InstanceService.Disposed);

        var (first, second) = await TwoCallsAsync(_ => { });

        Assert.NotEqual(first, second);
        Assert.True(Volatile.Read(ref InstanceService.Disposed) - before >= 2);
    }
}
