using Mesh.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mesh.Integration.Tests.Support;

/// <summary>One service hosted in the test process (TestServer), configured like its deployment.</summary>
internal sealed class InProcessService : IAsyncDisposable
{
    private readonly IAsyncDisposable _factory;

    private InProcessService(IAsyncDisposable factory, HttpClient client)
    {
        _factory = factory;
        Client = client;
    }

    public HttpClient Client { get; }

    public static InProcessService Start(string service, string postgres, string rabbit)
    {
        var settings = new Dictionary<string, string>
        {
            [ConfigKeys.Postgres] = postgres,
            [ConfigKeys.RabbitMq] = rabbit,
            [ConfigKeys.KeyEncryptionKey] = TestKeys.NewKeyEncryptionKey(),
        };
        return Starters.TryGetValue(service, out var start)
            ? start(settings)
            : throw new ArgumentException($"No service '{service}'.", nameof(service));
    }

    private static readonly Dictionary<string, Func<Dictionary<string, string>, InProcessService>> Starters = new()
    {
        [MeshServices.Account.Name] = Start<Mesh.Account.Program>,
        [MeshServices.Sync.Name] = Start<Mesh.Sync.Program>,
        [MeshServices.Messaging.Name] = Start<Mesh.Messaging.Program>,
        [MeshServices.Publication.Name] = Start<Mesh.Publication.Program>,
        [MeshServices.Threshold.Name] = Start<Mesh.Threshold.Program>,
    };

    private static InProcessService Start<TProgram>(Dictionary<string, string> settings) where TProgram : class
    {
        var factory = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
                host.UseSetting(key, value);
        });
        return new InProcessService(factory, factory.CreateClient());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
