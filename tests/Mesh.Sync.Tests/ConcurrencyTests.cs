using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;

namespace Mesh.Sync.Tests;

public sealed class ConcurrencyTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task Two_devices_appending_to_the_same_store_at_once_exactly_one_wins_every_time()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var store = new DeviceStore("Contact");
        var (first, start) = store.Update(DeviceStore.Payload("frame 0"));
        Assert.Equal(MeshStatus.Success, (await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [first] }, SyncServer.DeviceOf(account))).Status);
        store.Commit(start);

        for (var round = 0; round < 60; round++)
        {
            var (updateA, afterA) = store.Update(DeviceStore.Payload($"round {round} from A"));
            var (updateB, afterB) = store.Update(DeviceStore.Payload($"round {round} from B"), DeviceStore.Payload("and a second one"));
            using var go = new ManualResetEventSlim();
            var a = Task.Run(() => { go.Wait(); return server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [updateA] }, SyncServer.DeviceOf(account, "MDEV-ICEA")); });
            var b = Task.Run(() => { go.Wait(); return server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [updateB] }, SyncServer.DeviceOf(account, "MDEV-ICEB")); });
            go.Set();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, r => r.Status == MeshStatus.Success);
            var loser = Assert.Single(results, r => r.Status == MeshStatus.Conflict);
            Assert.All(loser.Entries!, e => Assert.Equal(EntryResult.Conflict, e.Result));
            store.Commit(results[0].Status == MeshStatus.Success ? afterA : afterB);
        }

        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Contact");
        var (_, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, "Contact");
        Assert.Equal(store.Frontier.Apex, apex);
    }
}
