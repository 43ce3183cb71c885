using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.V1;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Sync.Tests.Support;

/// <summary>Two devices appending to one store at the same moment, round after round: exactly one must win each round.</summary>
public static class WriterRace
{
    /// <param name="deviceA">Device A's way in (a replica's client).</param>
    /// <param name="deviceB">Device B's way in; B appends two entries, A one.</param>
    public static async Task RunAsync(SyncServer server, string account, DeviceStore store, SyncClient deviceA, SyncClient deviceB, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var (updateA, afterA) = store.Update(DeviceStore.Payload($"round {round} from A"));
            var (updateB, afterB) = store.Update(DeviceStore.Payload($"round {round} from B"), DeviceStore.Payload("and a second one"));
            using var go = new ManualResetEventSlim();
            var a = Task.Run(() => { go.Wait(); return deviceA.CallAsync<TransactResponse>(new TransactRequest { Updates = [updateA] }, SyncServer.DeviceOf(account, "MDEV-ICEA")); });
            var b = Task.Run(() => { go.Wait(); return deviceB.CallAsync<TransactResponse>(new TransactRequest { Updates = [updateB] }, SyncServer.DeviceOf(account, "MDEV-ICEB")); });
            go.Set();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, r => r.Status == MeshStatus.Success);
            var loser = Assert.Single(results, r => r.Status == MeshStatus.Conflict);
            Assert.All(loser.Entries!, e => Assert.Equal(EntryResult.Conflict, e.Result));
            store.Commit(results[0].Status == MeshStatus.Success ? afterA : afterB);
        }

        await StoreTable.AssertConsistentAsync(server.DataSource, account, store.Name);
        var (_, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, store.Name);
        Assert.Equal(store.Frontier.Apex, apex);
    }
}
