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

        await WriterRace.RunAsync(server, account, store, server.Client, server.Client, rounds: 60);
    }
}
