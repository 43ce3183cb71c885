using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.EndToEnd.Tests.Support;

/// <summary>
/// The stack as separate processes, configured the way ./mesh up configures them: the account and
/// sync services and the gateway (HTTPS, a self-signed certificate made here), on a database of
/// their own in the PostgreSQL of ./mesh test. One per test class; every process is stopped after.
/// </summary>
public sealed class ProcessStack : IAsyncLifetime
{
    readonly string directory = Directory.CreateTempSubdirectory("mesh-e2e-").FullName;
    readonly List<ServiceProcess> processes = [];
    TestDatabase? database;
    X509Certificate2? certificate;

    public int HttpsPort { get; } = FreePort.Next();

    /// <summary>The database every process of the stack keeps its schema in.</summary>
    public string ConnectionString => database!.ConnectionString;

    /// <summary>The Mesh service endpoint of the gateway.</summary>
    public Uri Endpoint => new($"https://localhost:{HttpsPort}/.well-known/mmm");

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var keyEncryptionKey = TestKeys.NewKeyEncryptionKey();
        var sync = await StartServiceAsync("Mesh.Sync", new());
        var account = await StartServiceAsync("Mesh.Account", new()
        {
            [ConfigKeys.KeyEncryptionKey] = keyEncryptionKey,
            [ConfigKeys.SyncAddresses] = sync.ToString(),
            [ConfigKeys.AccountDomains] = "example.com",
        });

        var (certificatePath, keyPath) = await WriteCertificateAsync();
        processes.Add(ServiceProcess.Start("Mesh.Gateway", Environment(new()
        {
            [ConfigKeys.BindAddress] = "127.0.0.1",
            [ConfigKeys.HttpsPort] = HttpsPort.ToString(),
            [ConfigKeys.TlsCertificatePath] = certificatePath,
            [ConfigKeys.TlsKeyPath] = keyPath,
            [ConfigKeys.KeyEncryptionKey] = keyEncryptionKey,
            [ConfigKeys.AccountAddresses] = account.ToString(),
            [ConfigKeys.SyncAddresses] = sync.ToString(),
            [ConfigKeys.Postgres] = database!.ConnectionString,
            [ConfigKeys.TicketKeys] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        })));
        using var client = HttpClient();
        client.BaseAddress = new Uri($"https://localhost:{HttpsPort}");
        await AwaitReadyAsync(client, processes[^1]);
    }

    /// <summary>Starts a service with its gRPC and health ports; returns its gRPC address once it is ready.</summary>
    async Task<Uri> StartServiceAsync(string assembly, Dictionary<string, string> settings)
    {
        var grpc = FreePort.Next();
        var health = FreePort.Next();
        settings[ConfigKeys.Postgres] = database!.ConnectionString;
        settings[ConfigKeys.BindAddress] = "127.0.0.1";
        settings[ConfigKeys.GrpcPort] = grpc.ToString();
        settings[ConfigKeys.HttpPort] = health.ToString();
        var process = ServiceProcess.Start(assembly, Environment(settings));
        processes.Add(process);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{health}") };
        await AwaitReadyAsync(client, process);
        return new Uri($"http://127.0.0.1:{grpc}");
    }

    static Dictionary<string, string> Environment(Dictionary<string, string> settings) =>
        settings.ToDictionary(s => ConfigKeys.ToEnvironmentVariable(s.Key), s => s.Value);

    async Task<(string Certificate, string Key)> WriteCertificateAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "gateway.crt");
        var keyPath = Path.Combine(directory, "gateway.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>An HTTP client that trusts exactly this stack's gateway certificate (as a user would pin it).</summary>
    public HttpClient HttpClient() => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(certificate!.GetCertHash()),
        },
    });

    static async Task AwaitReadyAsync(HttpClient client, ServiceProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("a stack process did not become ready:\n" + process.Output);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(processes)) await process.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        certificate?.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
