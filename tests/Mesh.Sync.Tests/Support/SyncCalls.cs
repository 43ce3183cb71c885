using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Common.V1;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.V1;
using Npgsql;

namespace Mesh.Sync.Tests.Support;

/// <summary>Mesh transactions through the generated gRPC client, as the gateway makes them.</summary>
public static class SyncCalls
{
    public static async Task<T> CallAsync<T>(this Sync.V1.Sync.SyncClient client, MeshItem request, Metadata principal) where T : MeshResponse
    {
        var reply = await Invoke(client, request, principal);
        return MeshJson.Deserialize<T>(reply.Payload.Span);
    }

    /// <summary>The reply as JSON, for fields the schema classes do not model (PageKey).</summary>
    public static async Task<JsonNode> CallJsonAsync(this Sync.V1.Sync.SyncClient client, MeshItem request, Metadata principal)
    {
        var reply = await Invoke(client, request, principal);
        return JsonNode.Parse(reply.Payload.Span)!;
    }

    static async Task<MeshReply> Invoke(Sync.V1.Sync.SyncClient client, MeshItem request, Metadata principal)
    {
        var call = new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(request)) };
        return request switch
        {
            StatusRequest => await client.StatusAsync(call, principal),
            DownloadRequest => await client.DownloadAsync(call, principal),
            TransactRequest => await client.TransactAsync(call, principal),
            _ => throw new ArgumentException($"{request.GetType().Name} is not a sync transaction"),
        };
    }

    public static async Task CreateAccountAsync(this Sync.V1.Sync.SyncClient client, string account, params ApexKey[] keys) =>
        await client.CreateStoresAsync(new CreateStoresRequest { AccountAddress = account, AccountUdf = SyncServer.AccountUdf, ApexKeys = { keys } });

    public static string NewAccount() => $"user{Guid.NewGuid():N}@example.com";
}

/// <summary>What the tables hold, read directly: the proof that nothing half-written or inconsistent is there.</summary>
public static class StoreTable
{
    public sealed record Row(long Index, byte[] Envelope, byte[] PayloadDigest, byte[] ApexDigest);

    public static async Task<List<Row>> EntriesAsync(NpgsqlDataSource dataSource, string account, string store)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT e.entry_index, e.envelope, e.payload_digest, e.apex_digest FROM sync.entry e
            JOIN sync.store s ON s.store_id = e.store_id
            WHERE s.account = @account AND s.name = @store ORDER BY e.entry_index
            """);
        command.Parameters.AddWithValue("account", account);
        command.Parameters.AddWithValue("store", store);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3)));
        return rows;
    }

    public static async Task<(long Count, byte[] Frontier, byte[]? Apex)> StoreAsync(NpgsqlDataSource dataSource, string account, string store)
    {
        await using var command = dataSource.CreateCommand("SELECT entry_count, frontier, apex FROM sync.store WHERE account = @account AND name = @store");
        command.Parameters.AddWithValue("account", account);
        command.Parameters.AddWithValue("store", store);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"no store {store} for {account}");
        return (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2));
    }

    public static async Task<long> TotalEntriesAsync(NpgsqlDataSource dataSource, string account)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM sync.entry e JOIN sync.store s ON s.store_id = e.store_id WHERE s.account = @account");
        command.Parameters.AddWithValue("account", account);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Indexes 0..n-1 without gaps, each apex the apex of the tree recomputed from the payload digests, the frontier equal to the recomputed one.</summary>
    public static async Task AssertConsistentAsync(NpgsqlDataSource dataSource, string account, string store)
    {
        var rows = await EntriesAsync(dataSource, account, store);
        var (count, frontierBytes, apex) = await StoreAsync(dataSource, account, store);
        Assert.Equal(count, rows.Count);
        var frontier = Mesh.Core.Dare.MerkleFrontier.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i, rows[i].Index);
            frontier = frontier.Append(rows[i].PayloadDigest);
            Assert.Equal(frontier.Apex, rows[i].ApexDigest);
        }
        Assert.Equal(frontier.ToBytes(), frontierBytes);
        Assert.Equal(rows.Count == 0 ? null : frontier.Apex, apex);
    }
}
