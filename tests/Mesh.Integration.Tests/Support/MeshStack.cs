using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests.Support;

/// <summary>
/// A database, account service replicas and a gateway on Kestrel in this process: the first Mesh
/// transaction end to end. The gateway's account address list can start with a dead replica; with
/// <c>sync</c> a sync service joins, the account service binds accounts of <see cref="SyncDomain"/>
/// and the gateway dispatches Status, Download and Transact to it.
/// </summary>
internal sealed class MeshStack : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mesh-stack-").FullName;
    private readonly List<KestrelHost> _accounts = [];
    private readonly List<KestrelHost> _extraGateways = [];
    private KestrelHost? _sync;

    /// <summary>The domain the account service binds accounts for when the stack has a sync service.</summary>
    public const string SyncDomain = "example.com";

    private MeshStack(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public string KeyEncryptionKey { get; } = TestKeys.NewKeyEncryptionKey();

    public X509Certificate2 Certificate { get; private set; } = null!;

    public KestrelHost Gateway { get; private set; } = null!;

    public IReadOnlyList<KestrelHost> Accounts => _accounts;

    public int HttpsPort { get; } = FreePort.Next();

    /// <summary>The plain-HTTP port, when the stack was started with one.</summary>
    public int? HttpPort { get; private set; }

    /// <summary>The ticket keys every gateway of this stack shares (base64).</summary>
    public string TicketKeys { get; } = TestKeys.NewKeyEncryptionKey();

    /// <summary>The GetAccount double in front of the account service, when started with one.</summary>
    public AccountDouble? AccountDouble { get; private set; }

    private string _accountAddresses = "";
    private string? _syncAddress;
    private int? _maxRequestBytes;
    private int _helloCacheSeconds;

    /// <param name="deadFirst">Put an address where nothing listens before the live replica.</param>
    /// <param name="accountDouble">Put a GetAccount double (<see cref="Support.AccountDouble"/>) between the gateway and the account service.</param>
    /// <param name="plainHttp">Open the gateway's plain-HTTP port too.</param>
    /// <param name="sync">Start a sync service on the same database, for the account service (stores of bound accounts) and the gateway.</param>
    /// <param name="helloCacheSeconds">The gateway's Hello cache; 0 (unlike the gateway's default) so that every Hello reaches the account service.</param>
    public static async Task<MeshStack> StartAsync(bool deadFirst = false, int? maxRequestBytes = null, bool accountDouble = false,
        bool plainHttp = false, bool sync = false, int helloCacheSeconds = 0)
    {
        var stack = new MeshStack(await TestDatabase.CreateAsync());
        Dictionary<string, string?>? accountSettings = null;
        if (sync)
        {
            var (syncHost, syncGrpc, syncHealth) = await KestrelHost.StartSyncAsync(stack.Database.ConnectionString);
            stack._sync = syncHost;
            stack._syncAddress = syncGrpc.ToString();
            using (var http = new HttpClient { BaseAddress = syncHealth })
                await Health.AwaitAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            accountSettings = new() { [ConfigKeys.SyncAddresses] = stack._syncAddress, [ConfigKeys.AccountDomains] = SyncDomain };
        }
        var (account, grpc, health) = await KestrelHost.StartAccountAsync(stack.Database.ConnectionString, stack.KeyEncryptionKey,
            extra: accountSettings);
        stack._accounts.Add(account);
        using (var http = new HttpClient { BaseAddress = health })
            await Health.AwaitAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        if (accountDouble)
        {
            stack.AccountDouble = await Support.AccountDouble.StartAsync(grpc);
            grpc = stack.AccountDouble.Address;
        }
        if (plainHttp) stack.HttpPort = FreePort.Next();
        stack._accountAddresses = deadFirst ? $"http://127.0.0.1:{FreePort.Next()},{grpc}" : grpc.ToString();
        stack._maxRequestBytes = maxRequestBytes;
        stack._helloCacheSeconds = helloCacheSeconds;
        await stack.StartGatewayAsync();
        return stack;
    }

    /// <summary>Another gateway replica on the same database, account service and ticket keys; returns its HTTPS port.</summary>
    public async Task<int> StartSecondGatewayAsync()
    {
        var port = FreePort.Next();
        var gateway = await KestrelHost.StartGatewayAsync(GatewaySettings(port, null));
        _extraGateways.Add(gateway);
        using var client = Client(HttpVersion.Version11, port);
        await Health.AwaitAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        return port;
    }

    private Dictionary<string, string?> GatewaySettings(int httpsPort, int? httpPort)
    {
        var settings = new Dictionary<string, string?>
        {
            [ConfigKeys.BindAddress] = "127.0.0.1",
            [ConfigKeys.HttpsPort] = httpsPort.ToString(),
            [ConfigKeys.TlsCertificatePath] = Path.Combine(_directory, "gateway.crt"),
            [ConfigKeys.TlsKeyPath] = Path.Combine(_directory, "gateway.key"),
            [ConfigKeys.KeyEncryptionKey] = KeyEncryptionKey,
            [ConfigKeys.AccountAddresses] = _accountAddresses,
            [ConfigKeys.Postgres] = Database.ConnectionString,
            [ConfigKeys.TicketKeys] = TicketKeys,
        };
        if (httpPort is { } plain) settings[ConfigKeys.HttpPort] = plain.ToString();
        if (_maxRequestBytes is { } limit) settings[ConfigKeys.MaxRequestBytes] = limit.ToString();
        settings[ConfigKeys.HelloCacheSeconds] = _helloCacheSeconds.ToString();
        if (_syncAddress is { } sync) settings[ConfigKeys.SyncAddresses] = sync;
        return settings;
    }

    private async Task StartGatewayAsync()
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
        Gateway = await KestrelHost.StartGatewayAsync(GatewaySettings(HttpsPort, HttpPort));
        using var client = Client(HttpVersion.Version11);
        await Health.AwaitAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
    }

    /// <summary>An HTTPS client that trusts exactly this stack's gateway certificate.</summary>
    public HttpClient Client(Version version, int? httpsPort = null) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trust },
    })
    {
        BaseAddress = new Uri($"https://localhost:{httpsPort ?? HttpsPort}"),
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
        foreach (var gateway in _extraGateways) await gateway.DisposeAsync();
        if (AccountDouble is not null) await AccountDouble.DisposeAsync();
        await StopAccountsAsync();
        if (_sync is not null) await _sync.DisposeAsync();
        await Database.DisposeAsync();
        Certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
