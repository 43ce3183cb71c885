using Grpc.Core;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;
using Mesh.Sync.V1;

namespace Mesh.Sync.Tests;

public sealed class StoresAndStatusTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task CreateStores_makes_every_catalog_and_spool_once_and_is_idempotent()
    {
        var account = SyncCalls.NewAccount();
        var first = await server.Client.CreateStoresAsync(new CreateStoresRequest { AccountAddress = account, AccountUdf = SyncServer.AccountUdf });
        var second = await server.Client.CreateStoresAsync(new CreateStoresRequest { AccountAddress = account, AccountUdf = SyncServer.AccountUdf });

        Assert.Equal(12, first.Created);
        Assert.Equal(0, second.Created);
        Assert.Equal(["Device", "Contact", "Credential", "Bookmark", "Task", "Network", "Application", "Access", "Publication",
            "Inbound", "Outbound", "Local"], second.Stores);
    }

    [Fact]
    public async Task Status_of_fresh_stores_lists_every_store_without_index_or_apex()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account));

        Assert.Equal(MeshStatus.Success, status.Status);
        Assert.Equal(StoreNames.All, status.ContainerStatus!.Select(s => s.Container));
        Assert.All(status.ContainerStatus!, s => Assert.Null(s.Index));
        Assert.All(status.ContainerStatus!, s => Assert.Null(s.Digest));
    }

    [Fact]
    public async Task Status_of_populated_store_reports_last_index_and_Merkle_apex()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var bookmark = new DeviceStore("Bookmark");
        var (update, after) = bookmark.Update(DeviceStore.Payload("frame 0"), DeviceStore.Payload("a"), DeviceStore.Payload("b"));
        var transact = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [update] }, SyncServer.DeviceOf(account));
        Assert.Equal(MeshStatus.Success, transact.Status);

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest { Catalogs = ["Bookmark", "Task"] }, SyncServer.DeviceOf(account));

        var entry = Assert.Single(status.ContainerStatus!, s => s.Container == "Bookmark");
        Assert.Equal(2, entry.Index);
        Assert.Equal(after.Apex, entry.Digest);
        Assert.Equal(["Bookmark", "Task"], status.ContainerStatus!.Select(s => s.Container));
    }

    [Fact]
    public async Task Status_for_an_account_without_stores_is_not_found()
    {
        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(SyncCalls.NewAccount()));

        Assert.Equal(MeshStatus.NotFound, status.Status);
        Assert.Contains("has no stores", status.StatusDescription);
    }

    [Fact]
    public async Task Call_without_principal_is_unauthenticated()
    {
        var call = new Mesh.Common.V1.MeshCall { Payload = Google.Protobuf.ByteString.CopyFrom(Mesh.Core.Json.MeshJson.Serialize(new StatusRequest())) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.StatusAsync(call));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Device_of_another_account_is_refused()
    {
        var alice = SyncCalls.NewAccount();
        var mallory = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(alice);
        await server.Client.CreateAccountAsync(mallory);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.CallAsync<StatusResponse>(new StatusRequest { Account = alice }, SyncServer.DeviceOf(mallory)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains(alice, error.Status.Detail);
    }

    [Fact]
    public async Task Device_of_the_account_naming_its_account_is_allowed()
    {
        var alice = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(alice);

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest { Account = alice }, SyncServer.DeviceOf(alice));

        Assert.Equal(MeshStatus.Success, status.Status);
    }

    [Fact]
    public async Task Principal_without_a_device_is_refused_by_the_policy()
    {
        var alice = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(alice);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(alice, device: "")));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Unreadable_payload_is_an_invalid_argument()
    {
        var call = new Mesh.Common.V1.MeshCall { Payload = Google.Protobuf.ByteString.CopyFromUtf8("{\"TransactRequest\":{\"Updates\":7}}") };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.TransactAsync(call, SyncServer.DeviceOf(SyncCalls.NewAccount())));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task DeleteStores_removes_the_stores_and_their_entries_and_is_idempotent()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var (update, _) = new DeviceStore("Contact").Update(DeviceStore.Payload("frame 0"));
        await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [update] }, SyncServer.DeviceOf(account));

        var first = await server.Client.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account });
        var second = await server.Client.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account });

        Assert.Equal(12, first.Deleted);
        Assert.Equal(0, second.Deleted);
        Assert.Equal(0, await StoreTable.TotalEntriesAsync(server.DataSource, account));
    }

    [Fact]
    public async Task CreateStores_through_the_gateway_with_a_device_principal_is_refused()
    {
        var account = SyncCalls.NewAccount();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Client.CreateStoresAsync(new CreateStoresRequest { AccountAddress = account, AccountUdf = SyncServer.AccountUdf }, SyncServer.DeviceOf(account)));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
