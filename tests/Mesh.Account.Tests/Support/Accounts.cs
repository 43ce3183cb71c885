using Google.Protobuf;
using Grpc.Core;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Common.V1;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Npgsql;
using AccountClient = Mesh.Account.V1.Account.AccountClient;

namespace Mesh.Account.Tests.Support;

/// <summary>A user account made by the client SDK (seed-derived keys, self-signed ProfileUser).</summary>
public sealed class TestAccount : IDisposable
{
    public TestAccount(string address)
    {
        Address = address;
        Keys = ProfileKeySet.Generate(MeshActor.Account);
        Profile = ProfileFactory.User(Keys, address, serviceUdf: null);
    }

    public string Address { get; }
    public ProfileKeySet Keys { get; }
    public DareEnvelope Profile { get; }
    public string Udf => Keys.ProfileUdf;

    public static string NewAddress(string domain = AccountStack.Domain) => $"user{Guid.NewGuid():N}"[..20] + "@" + domain;

    public BindRequest Bind() => new() { AccountAddress = Address, EnvelopedProfileAccount = Assertions.ToEnveloped(Profile) };

    public void Dispose() => Keys.Dispose();
}

public static class AccountCalls
{
    public static async Task<BindResponse> BindAsync(this AccountClient client, BindRequest request, Metadata? principal = null)
    {
        var reply = await client.BindAccountAsync(new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(request)) }, principal ?? AccountStack.Device());
        return MeshJson.Deserialize<BindResponse>(reply.Payload.Span);
    }

    public static async Task<UnbindResponse> UnbindAsync(this AccountClient client, string address, string accountUdf)
    {
        var reply = await client.UnbindAccountAsync(new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(new UnbindRequest())) },
            AccountStack.Profile(address, accountUdf));
        return MeshJson.Deserialize<UnbindResponse>(reply.Payload.Span);
    }
}

/// <summary>What the tables hold, read directly.</summary>
public static class Tables
{
    public static async Task<List<(string Udf, string State, bool UnboundAt)>> AccountRowsAsync(NpgsqlDataSource dataSource, string address)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT account_udf, state, unbound_at IS NOT NULL FROM account.accounts WHERE address = @address ORDER BY account_id");
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, bool)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        return rows;
    }

    public static async Task<List<(string Name, string Udf)>> StoresAsync(NpgsqlDataSource dataSource, string address)
    {
        await using var command = dataSource.CreateCommand("SELECT name, account_udf FROM sync.store WHERE account = @address ORDER BY store_id");
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    public static async Task<bool> RetiredAsync(NpgsqlDataSource dataSource, string address)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM account.retired_addresses WHERE address = @address");
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    public static async Task<List<string>> ApexKeysAsync(NpgsqlDataSource dataSource, string address)
    {
        await using var command = dataSource.CreateCommand("SELECT kid FROM sync.apex_key WHERE account = @address");
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        var kids = new List<string>();
        while (await reader.ReadAsync()) kids.Add(reader.GetString(0));
        return kids;
    }

    /// <summary>The account UDF of the profile the sync service recorded for Status, if any.</summary>
    public static async Task<string?> RecordedProfileUdfAsync(NpgsqlDataSource dataSource, string address)
    {
        await using var command = dataSource.CreateCommand("SELECT account_udf FROM sync.account_profile WHERE account = @address");
        command.Parameters.AddWithValue("address", address.ToLowerInvariant());
        return (string?)await command.ExecuteScalarAsync();
    }
}
