using Google.Protobuf;
using Mesh.Account.V1;
using Mesh.Common.V1;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;
using Mesh.Grpc.Client;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Security;
using Npgsql;

namespace Mesh.Integration.Tests;

/// <summary>The account service's first slice against the real PostgreSQL: service and host profiles, Hello.</summary>
public sealed class AccountServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<(KestrelHost Host, Account.V1.Account.AccountClient Client, GrpcChannel Channel)> StartAsync(
        TestDatabase database, string kek, string algorithm = "Ed25519")
    {
        var (host, grpc, health) = await KestrelHost.StartAccountAsync(database.ConnectionString, kek, algorithm);
        using var http = new HttpClient { BaseAddress = health };
        await Health.AwaitAsync(http, System.Net.HttpStatusCode.OK, Patience);
        var channel = GrpcChannel.ForAddress(grpc);
        return (host, new Account.V1.Account.AccountClient(channel), channel);
    }

    private static async Task<List<(string Role, string Usage, string Udf, byte[] Public, byte[] Sealed)>> KeyRowsAsync(TestDatabase database)
    {
        await using var source = database.CreateDataSource();
        await using var command = source.CreateCommand("SELECT role, usage, udf, public_key, private_key_encrypted FROM account.service_keys ORDER BY role, usage");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, byte[], byte[])>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4)));
        return rows;
    }

    private static async Task<MeshHelloResponse> HelloAsync(Account.V1.Account.AccountClient client)
    {
        var reply = await client.HelloAsync(new MeshCall { Payload = ByteString.CopyFromUtf8("{\"HelloRequest\":{}}") });
        return MeshJson.Deserialize<MeshHelloResponse>(reply.Payload.Span);
    }

    [Fact]
    public async Task First_start_creates_the_service_and_host_profiles_with_their_keys()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (host, _, channel) = await StartAsync(database, TestKeys.NewKeyEncryptionKey());
        await using (host)
        using (channel)
        {
            var rows = await KeyRowsAsync(database);

            Assert.Equal(["Authentication", "Encryption", "ProfileSignature", "Signature"], rows.Where(r => r.Role == "host").Select(r => r.Usage));
            Assert.Equal(["ProfileSignature", "ServiceAuthentication", "ServiceEncryption", "ServiceSignature"],
                rows.Where(r => r.Role == "service").Select(r => r.Usage));
            Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith("Created service profile", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Second_start_reuses_the_stored_profiles()
    {
        await using var database = await TestDatabase.CreateAsync();
        var kek = TestKeys.NewKeyEncryptionKey();
        MeshHelloResponse first, second;
        var (host1, client1, channel1) = await StartAsync(database, kek);
        await using (host1)
        using (channel1)
            first = await HelloAsync(client1);
        var (host2, client2, channel2) = await StartAsync(database, kek);
        await using (host2)
        using (channel2)
        {
            second = await HelloAsync(client2);
            Assert.Contains(host2.Logs.Entries, e => e.Message.StartsWith("Loaded service profile", StringComparison.Ordinal));
        }

        Assert.Equal(first.EnvelopedProfileService!.Payload, second.EnvelopedProfileService!.Payload);
        Assert.Equal(first.EnvelopedProfileHost!.Payload, second.EnvelopedProfileHost!.Payload);
        Assert.Equal(8, (await KeyRowsAsync(database)).Count);
    }

    [Fact]
    public async Task Private_keys_are_stored_sealed_never_in_plaintext_and_open_only_under_the_configured_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var kekText = TestKeys.NewKeyEncryptionKey();
        var (host, _, channel) = await StartAsync(database, kekText);
        await using (host)
        using (channel)
        {
            var rows = await KeyRowsAsync(database);
            using var kek = new KeyEncryptionKey(Convert.FromBase64String(kekText));
            using var other = new KeyEncryptionKey(Convert.FromBase64String(TestKeys.NewKeyEncryptionKey()));
            await using var source = database.CreateDataSource();
            foreach (var row in rows)
            {
                var secret = kek.Open(row.Sealed, row.Udf);
                // The opened key is the private half of the stored public key...
                using var key = Mesh.Core.Cryptography.KeyPair.FromPrivate(AlgorithmOf(row.Public.Length, row.Usage, row.Role), secret);
                Assert.Equal(row.Public, key.PublicKey);
                // ...and its raw bytes appear in no column of any row of the schema.
                await using var search = source.CreateCommand(
                    "SELECT count(*) FROM account.service_keys k, account.service_profiles p " +
                    "WHERE position(@secret in k.private_key_encrypted) > 0 OR position(@secret in k.public_key) > 0 OR position(@secret in p.envelope) > 0");
                search.Parameters.AddWithValue("secret", secret);
                Assert.Equal(0L, (long)(await search.ExecuteScalarAsync())!);
                Assert.Throws<KeySealException>(() => other.Open(row.Sealed, row.Udf));
                Assert.Throws<KeySealException>(() => kek.Open(row.Sealed, "MAAA-AAAA-AAAA"));
            }
            Assert.DoesNotContain(host.Logs.Entries, e => rows.Any(r => e.Message.Contains(Convert.ToBase64String(r.Sealed), StringComparison.Ordinal)));
        }
    }

    // Stored algorithm names are checked separately; here the key length and role say which curve it is.
    private static string AlgorithmOf(int publicLength, string usage, string role) => (publicLength, usage) switch
    {
        (57, _) => "Ed448",
        (56, _) => "X448",
        (32, "Signature") => "Ed25519",
        (32, _) => "X25519",
        _ => throw new InvalidOperationException($"unexpected {role} {usage} key of {publicLength} bytes"),
    };

    [Fact]
    public async Task Two_replicas_starting_together_keep_one_service_profile()
    {
        await using var database = await TestDatabase.CreateAsync();
        var kek = TestKeys.NewKeyEncryptionKey();
        var starts = await Task.WhenAll(StartAsync(database, kek), StartAsync(database, kek));
        try
        {
            var hellos = await Task.WhenAll(starts.Select(s => HelloAsync(s.Client)));

            Assert.Equal(hellos[0].EnvelopedProfileService!.Payload, hellos[1].EnvelopedProfileService!.Payload);
            Assert.Equal(hellos[0].EnvelopedProfileHost!.Payload, hellos[1].EnvelopedProfileHost!.Payload);
            Assert.Equal(8, (await KeyRowsAsync(database)).Count);
            Assert.Single(starts, s => s.Host.Logs.Entries.Any(e => e.Message.StartsWith("Created service profile", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var (host, _, channel) in starts)
            {
                channel.Dispose();
                await host.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("Ed25519")]
    [InlineData("Ed448")]
    public async Task Hello_returns_a_MeshHelloResponse_whose_profiles_verify(string hostAlgorithm)
    {
        await using var database = await TestDatabase.CreateAsync();
        var (host, client, channel) = await StartAsync(database, TestKeys.NewKeyEncryptionKey(), hostAlgorithm);
        await using (host)
        using (channel)
        {
            var hello = await HelloAsync(client);

            Assert.Equal(201, hello.Status);
            Assert.Equal(3, hello.Version!.Major);
            Assert.Equal(0, hello.Version.Minor);
            Assert.Equal(["application/json", "application/json-b", "application/json-c"], hello.Version.Encodings!.SelectMany(e => e.ID!));
            Assert.Equal(64 * 1024, hello.ConstraintsUpdate!.BytesMax);
            Assert.Equal(64 * 1024, hello.ConstraintsPost!.BytesMax);
            Assert.NotNull(hello.PolicyAccount);
            foreach (var enveloped in new[] { hello.EnvelopedProfileService!, hello.EnvelopedProfileHost! })
            {
                var envelope = DareEnvelope.Decode(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(enveloped, MeshJson.Options));
                var verification = DareSelfSigned.Verify(envelope);
                Assert.True(verification.IsValid, verification.Problem);
                var signer = DareSelfSigned.ProfileSignatureKey(envelope)!.Value;
                Assert.Equal(signer.Udf, envelope.Signatures.Single().KeyIdentifier);
                Assert.Equal(Mesh.Core.Udf.Udf.KeyFingerprint(signer.Key), signer.Udf);
                Assert.Equal(signer.Udf, envelope.Header.EnvelopeId);
            }
            var hostProfile = hello.EnvelopedProfileHost!.DecodePayload<ProfileHost>();
            Assert.Equal(hostAlgorithm, ((PublicKeyECDH)hostProfile.Signature!.PublicParameters!).Curve);
            Assert.IsType<ProfileService>(hello.EnvelopedProfileService!.DecodePayload<ProfileService>());
        }
    }

    [Fact]
    public async Task Hello_with_a_payload_that_is_not_a_HelloRequest_is_an_invalid_argument()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (host, client, channel) = await StartAsync(database, TestKeys.NewKeyEncryptionKey());
        await using (host)
        using (channel)
        {
            var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() =>
                client.HelloAsync(new MeshCall { Payload = ByteString.CopyFromUtf8("{\"StatusRequest\":{}}") }).ResponseAsync);

            Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("not a HelloRequest", error.Status.Detail);
        }
    }
}
