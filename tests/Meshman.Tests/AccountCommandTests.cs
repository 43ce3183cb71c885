using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Meshman.Tests;

public sealed class AccountCommandTests : IDisposable
{
    readonly string home = Directory.CreateTempSubdirectory("meshman-account-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    static string Value(MeshmanRun run, string label) => run.Lines.Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..];

    [Fact]
    public void Account_create_local_prints_the_address_and_UDF_and_says_it_is_created_on_this_device_only()
    {
        var run = MeshmanRun.Of("account", "create", "alice@example.com", "--local", "--home", home);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("alice@example.com", Value(run, "Account="));
        Assert.Equal(UdfKind.ContentDigest, Udf.Parse(Value(run, "UDF=")).Kind);
        Assert.Contains(run.Lines, l => l.StartsWith("Created on this device only: the account is not bound at a service", StringComparison.Ordinal));

        var profile = DareEnvelope.Decode(File.ReadAllBytes(Path.Combine(home, "accounts", "alice@example.com", "profile.dare")));
        Assert.True(DareSelfSigned.Verify(profile).IsValid);
        Assert.Equal(Value(run, "UDF="), Assert.Single(profile.Signatures).KeyIdentifier);

        var list = MeshmanRun.Of("account", "list", "--home", home);
        Assert.Equal([$"alice@example.com UDF={Value(run, "UDF=")}"], list.Lines);
    }

    [Fact]
    public void An_exported_seed_recreates_the_same_account_UDF_on_another_device()
    {
        var created = MeshmanRun.Of("account", "create", "alice@example.com", "--local", "--home", home);
        var seed = Assert.Single(MeshmanRun.Of("account", "export-seed", "alice@example.com", "--home", home).Lines);
        var other = Path.Combine(home, "second-device");
        var recreated = MeshmanRun.Of("account", "create", "alice@example.com", "--local", "--home", other, "--seed", seed);
        Assert.Equal(0, recreated.ExitCode);
        Assert.Equal(Value(created, "UDF="), Value(recreated, "UDF="));
        Assert.NotEqual(Value(created, "Device UDF="), Value(recreated, "Device UDF="));
    }

    [Fact]
    public void MESH_HOME_is_the_home_when_no_option_is_given()
    {
        var before = Environment.GetEnvironmentVariable("MESH_HOME");
        try
        {
            Environment.SetEnvironmentVariable("MESH_HOME", home);
            Assert.Equal(0, MeshmanRun.Of("account", "create", "bob@example.com", "--local").ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESH_HOME", before);
        }
        Assert.True(Directory.Exists(Path.Combine(home, "accounts", "bob@example.com")));
    }

    [Fact]
    public void Account_errors_are_one_line()
    {
        MeshmanRun.Of("account", "create", "alice", "--local", "--home", home).AssertOneLineError("not an account address");
        MeshmanRun.Of("account", "create", "alice@example.com", "--local", "--home", home);
        MeshmanRun.Of("account", "create", "alice@example.com", "--local", "--home", home).AssertOneLineError("already exists");
        MeshmanRun.Of("account", "export-seed", "carol@example.com", "--home", home).AssertOneLineError("no account carol@example.com");
        MeshmanRun.Of("account", "create", "dave@example.com", "--local", "--home", home, "--seed", "not-a-seed").AssertOneLineError("meshman:");
        MeshmanRun.Of("account", "hello", "http://127.0.0.1:1").AssertOneLineError("cannot reach http://127.0.0.1:1/.well-known/mmm");
        MeshmanRun.Of("account", "hello", "ftp://example.com").AssertOneLineError("not an http or https URL");
    }

    [Fact]
    public void Account_hello_prints_the_version_encodings_and_the_service_and_host_UDFs()
    {
        using var service = new LoopbackMeshService();
        var run = MeshmanRun.Of("account", "hello", service.Url);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("MeshService 3.0", run.Lines[0]);
        Assert.Equal("application/json", Value(run, "Encodings = "));
        Assert.Equal(service.ServiceUdf, Value(run, "Service UDF = "));
        Assert.Equal(service.HostUdf, Value(run, "Host UDF = "));
        Assert.Equal("/.well-known/mmm", service.Paths.Single());
    }

    [Fact]
    public void Account_create_over_plain_HTTP_at_a_host_without_an_encryption_key_fails_in_one_line_and_leaves_no_account()
    {
        // Plain HTTP requests must be encrypted to the host (ADR 0005); this host publishes no Encryption key.
        using var service = new LoopbackMeshService();
        var run = MeshmanRun.Of("account", "create", "alice@example.com", "--home", home, "--service", service.Url);
        run.AssertOneLineError("ProfileHost.Encryption");
        Assert.False(Directory.Exists(Path.Combine(home, "accounts", "alice@example.com")));
    }
}

/// <summary>A real HTTP listener on 127.0.0.1 answering Hello with an envelope signed by its host key (built on Mesh.Core).</summary>
internal sealed class LoopbackMeshService : IDisposable
{
    readonly HttpListener listener = new();
    readonly SignatureKeyPair serviceKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly SignatureKeyPair hostProfileKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly SignatureKeyPair hostKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly Task loop;

    public LoopbackMeshService()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string Url { get; }

    public string ServiceUdf => Udf.KeyFingerprint(serviceKey);

    public string HostUdf => Udf.KeyFingerprint(hostProfileKey);

    public System.Collections.Concurrent.ConcurrentQueue<string> Paths { get; } = new();

    static KeyData Describe(KeyPair key) => new()
    {
        Udf = Udf.KeyFingerprint(key),
        PublicParameters = new PublicKeyECDH { Curve = key.Algorithm, Public = key.PublicKey },
    };

    static byte[] Signed(MeshItem item, SignatureKeyPair key) =>
        DareEnvelope.Encode(MeshJson.Serialize(item), new DareEnvelopeOptions { Signers = [DareKeyPairs.Signer(key)] }).ToJson();

    static Enveloped AsEnveloped(byte[] json) => JsonSerializer.Deserialize<Enveloped>(json, MeshJson.Options)!;

    async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            Paths.Enqueue(context.Request.Url!.AbsolutePath);
            var response = new MeshHelloResponse
            {
                Status = 201,
                Version = new VersionInfo { Major = 3, Minor = 0, Encodings = [new Mesh.Core.Schema.Encoding { ID = ["application/json"] }] },
                EnvelopedProfileService = AsEnveloped(Signed(new ProfileService { ProfileSignature = Describe(serviceKey) }, serviceKey)),
                EnvelopedProfileHost = AsEnveloped(Signed(new ProfileHost { ProfileSignature = Describe(hostProfileKey), Signature = Describe(hostKey) }, hostProfileKey)),
            };
            var body = Signed(response, hostKey);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        serviceKey.Dispose();
        hostProfileKey.Dispose();
        hostKey.Dispose();
    }
}
