using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;
using Mesh.Sync.V1;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Sync.Tests;

/// <summary>
/// Two sync replicas over one database, each keeping the stores it last saw (StoreStateCache): what
/// one replica writes, the other's answers must take into account, whatever it kept.
/// </summary>
public sealed class ReplicaTests(SyncServer server) : IClassFixture<SyncServer>
{
    static async Task<TransactResponse> AppendAsync(SyncClient replica, string account, DeviceStore store, string text, string device = "MDEV-ICE1-TEST")
    {
        var (update, after) = store.Update(DeviceStore.Payload(text));
        var response = await replica.CallAsync<TransactResponse>(new TransactRequest { Updates = [update] }, SyncServer.DeviceOf(account, device));
        if (response.Status == MeshStatus.Success) store.Commit(after);
        return response;
    }

    [Fact]
    public async Task A_replica_that_kept_the_store_behind_the_database_accepts_an_update_of_the_current_store()
    {
        var other = await server.ReplicaAsync();
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var store = new DeviceStore("Contact");

        Assert.Equal(MeshStatus.Success, (await AppendAsync(server.Client, account, store, "entry 0 via the first")).Status);
        Assert.Equal(MeshStatus.Success, (await AppendAsync(other, account, store, "entry 1 via the second")).Status);
        var third = await AppendAsync(server.Client, account, store, "entry 2 via the first, which kept the store at one entry");

        Assert.Equal(MeshStatus.Success, third.Status);
        Assert.Equal(2, Assert.Single(third.Entries!).IndexContainer);
        var (count, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, "Contact");
        Assert.Equal(3, count);
        Assert.Equal(store.Frontier.Apex, apex);
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Contact");
    }

    [Fact]
    public async Task An_update_made_stale_by_the_other_replica_is_a_conflict_on_both_and_changes_nothing()
    {
        var other = await server.ReplicaAsync();
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var store = new DeviceStore("Bookmark");
        Assert.Equal(MeshStatus.Success, (await AppendAsync(server.Client, account, store, "entry 0")).Status);
        var stale = store.Frontier;
        Assert.Equal(MeshStatus.Success, (await AppendAsync(other, account, store, "entry 1 from another device")).Status);
        var (late, _) = store.Frame(DeviceStore.Payload("late"), stale);
        var request = new TransactRequest { Updates = [store.Expecting(stale, [late])] };

        // The first replica kept the store where the late update expects it: only the write finds it moved.
        var viaFirst = await server.Client.CallAsync<TransactResponse>(request, SyncServer.DeviceOf(account));
        var viaSecond = await other.CallAsync<TransactResponse>(request, SyncServer.DeviceOf(account));

        foreach (var response in new[] { viaFirst, viaSecond })
        {
            Assert.Equal(MeshStatus.Conflict, response.Status);
            Assert.Equal(EntryResult.Conflict, Assert.Single(response.Entries!).Result);
            Assert.Contains("at index 1", response.StatusDescription);
        }
        var (count, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, "Bookmark");
        Assert.Equal(2, count);
        Assert.Equal(store.Frontier.Apex, apex);
    }

    [Fact]
    public async Task Two_devices_writing_one_store_through_two_replicas_at_once_exactly_one_wins_every_time()
    {
        var other = await server.ReplicaAsync();
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var store = new DeviceStore("Contact");
        Assert.Equal(MeshStatus.Success, (await AppendAsync(server.Client, account, store, "frame 0")).Status);

        await WriterRace.RunAsync(server, account, store, server.Client, other, rounds: 40);
    }

    [Fact]
    public async Task Stores_removed_and_made_again_through_the_other_replica_are_what_a_Transact_finds()
    {
        var other = await server.ReplicaAsync();
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var before = new DeviceStore("Contact");
        Assert.Equal(MeshStatus.Success, (await AppendAsync(server.Client, account, before, "entry 0")).Status);

        await other.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account, AccountUdf = SyncServer.AccountUdf });
        var unbound = await AppendAsync(server.Client, account, before, "entry 1 to stores that are gone");

        Assert.Equal(MeshStatus.NotFound, unbound.Status);
        Assert.Equal(0, await StoreTable.TotalEntriesAsync(server.DataSource, account));

        await other.CreateAccountAsync(account);
        var after = new DeviceStore("Contact");
        var rebound = await AppendAsync(server.Client, account, after, "entry 0 of the new stores");

        Assert.Equal(MeshStatus.Success, rebound.Status);
        Assert.Equal(0, Assert.Single(rebound.Entries!).IndexContainer);
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Contact");
    }
}
