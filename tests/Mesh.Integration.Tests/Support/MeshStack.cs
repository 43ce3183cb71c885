using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests.Support;

/// <summary>
/// A database, account service replicas and a gateway on Kestrel in this process: the first Mesh
/// transaction end to end. The gateway's account address list can start with a dead replica.
/// </summary>
internal sealed class MeshStack : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mesh-stack-").FullName;
    private readonly List<KestrelHost> _accounts = [];

    private MeshStack(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public string KeyEncryptionKey { get; } = TestKeys.NewKeyEncryptionKey();

    public X509Certificate2 Certificate { get; private set; } = null!;

    public KestrelHost Gateway { get; private set; } = null!;

    public IReadOnlyList<KestrelHost> Accounts => _accounts;

    public int HttpsPort { get; } = FreePort.Next();

    /// <param name="deadFirst">Put an address where nothing listens before the live replica.</param>
    public static async Task<MeshStack> StartAsync(bool deadFirst = false, int? maxRequestBytes = null)
    {
        var stack = new MeshStack(await TestDatabase.CreateAsync());
        var (account, grpc, health) = await KestrelHost.StartAccountAsync(stack.Database.ConnectionString, stack.KeyEncryptionKey);
        stack._accounts.Add(account);
        using (var http = new HttpClient { BaseAddress = health })
            await Health.AwaitAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        var addresses = deadFirst ? $"http://127.0.0.1:{FreePort.Next()},{grpc}" : grpc.ToString();
        await stack.StartGatewayAsync(addresses, maxRequestBytes);
        return stack;
    }

    private async Task StartGatewayAsync(string accountAddresses, int? maxRequestBytes)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(_directory, "gateway.crt");
        var keyPath = Path.Combine(_directory, "gateway.key");
        await File.WriteAllTextAsync(certificatePath, Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        var settings = new Dictionary<string, string?>
        {
            [ConfigKeys.BindAddress] = "127.0.0.1",
            [ConfigKeys.HttpsPort] = HttpsPort.ToString(),
            [ConfigKeys.TlsCertificatePath] = certificatePath,
            [ConfigKeys.TlsKeyPath] = keyPath,
            [ConfigKeys.KeyEncryptionKey] = KeyEncryptionKey,
            [ConfigKeys.AccountAddresses] = accountAddresses,
        };
        if (maxRequestBytes is { } limit) settings[ConfigKeys.MaxRequestBytes] = limit.ToString();
        Gateway = await KestrelHost.StartGatewayAsync(settings);
        using var client = Client(HttpVersion.Version11);
        await Health.AwaitAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
    }

    /// <summary>An HTTPS client that trusts exactly this stack's gateway certificate.</summary>
    public HttpClient Client(Version version) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trust },
    })
    {
        BaseAddress = new Uri($"https://localhost:{HttpsPort}"),
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public bool Trust(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors) =>
        presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(Certificate.GetCertHash());

    public async Task StopAccountsAsync()
    {
        foreach (var account in _accounts) await account.DisposeAsync();
        _accounts.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null) await Gateway.DisposeAsync();
        await StopAccountsAsync();
        await Database.DisposeAsync();
        Certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
