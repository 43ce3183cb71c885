using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests;

/// <summary>The gateway process with a throwaway self-signed certificate, shared by the tests of this class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mesh-gateway-").FullName;

    public int HttpsPort { get; } = FreePort.Next();

    public int HttpPort { get; } = FreePort.Next();

    public X509Certificate2 Certificate { get; private set; } = null!;

    internal ServiceProcess Process { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(_directory, "gateway.crt"), Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_directory, "gateway.key"), key.ExportPkcs8PrivateKeyPem());

        Process = ServiceProcess.Start("Mesh.Gateway", Environment(_directory, HttpsPort, HttpPort));
        using var client = Client(HttpVersion.Version11);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !Process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("gateway did not become ready:\n" + Process.Output);
    }

    internal static Dictionary<string, string> Environment(string certificateDirectory, int httpsPort, int? httpPort)
    {
        var environment = new Dictionary<string, string>
        {
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.BindAddress)] = "127.0.0.1",
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.HttpsPort)] = httpsPort.ToString(),
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.TlsCertificatePath)] = Path.Combine(certificateDirectory, "gateway.crt"),
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.TlsKeyPath)] = Path.Combine(certificateDirectory, "gateway.key"),
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.KeyEncryptionKey)] = TestKeys.NewKeyEncryptionKey(),
            // No account service listens here: this gateway stays live and never becomes ready.
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.AccountAddresses)] = $"http://127.0.0.1:{FreePort.Next()}",
            // A database that is never created: the replay table's migration waits for it.
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.Postgres)] = TestDatabase.Reserve().ConnectionString,
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.TicketKeys)] = TestKeys.NewKeyEncryptionKey(),
        };
        if (httpPort is { } port)
            environment[ConfigKeys.ToEnvironmentVariable(ConfigKeys.HttpPort)] = port.ToString();
        return environment;
    }

    /// <summary>An HTTPS client that trusts exactly this fixture's certificate.</summary>
    public HttpClient Client(Version version, SslProtocols protocols = SslProtocols.None) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(Certificate.GetCertHash()),
        },
    })
    {
        BaseAddress = new Uri($"https://localhost:{HttpsPort}"),
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class GatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Gateway_answers_health_over_HTTPS_with_HTTP_2()
    {
        using var client = gateway.Client(HttpVersion.Version20);
        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task Gateway_answers_health_over_HTTPS_with_HTTP_1_1()
    {
        using var client = gateway.Client(HttpVersion.Version11);
        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task Gateway_refuses_a_client_limited_to_TLS_1_2()
    {
        using var client = gateway.Client(HttpVersion.Version11, SslProtocols.Tls12);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/health/live"));
    }

    [Fact]
    public async Task Gateway_serves_plain_HTTP_on_the_configured_port()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Gateway_is_not_ready_until_it_holds_the_host_credential()
    {
        using var client = gateway.Client(HttpVersion.Version11);
        using var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("host-credential", body);
        Assert.Contains("Host credential not loaded", body);
    }

    [Fact]
    public async Task Gateway_without_a_readable_certificate_stops_and_names_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mesh-no-such-dir-" + Guid.NewGuid().ToString("N"));
        await using var process = ServiceProcess.Start("Mesh.Gateway", GatewayFixture.Environment(missing, FreePort.Next(), httpPort: null));

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), "gateway kept running without a certificate");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("cannot be loaded", process.Output);
        Assert.Contains(Path.Combine(missing, "gateway.crt"), process.Output);
    }
}
