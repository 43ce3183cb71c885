using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;
using Mesh.Sync.V1;

namespace Mesh.Sync.Tests;

/// <summary>ADR 0005 "Rights" and "Principal": the Access catalog restricts devices; stores answer only their own account.</summary>
public sealed class AccessRightsTests(SyncServer server) : IClassFixture<SyncServer>
{
    const string Admin = "MDEV-ADMN-TEST";
    const string Reader = "MDEV-READ-TEST";

    sealed record Account(string Address, SignatureKeyPair AdminKey, DeviceStore Access);

    async Task<Account> NewAccountAsync()
    {
        var address = SyncCalls.NewAccount();
        var key = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        await server.Client.CreateAccountAsync(address, new ApexKey { Algorithm = key.Algorithm, PublicKey = ByteString.CopyFrom(key.PublicKey) });
        return new Account(address, key, new DeviceStore("Access"));
    }

    // An Access frame: CatalogedAccess payload (or empty), ContentMetaData naming the entry, signed by signer.
    static (Enveloped Envelope, MerkleFrontier After) AccessFrame(DeviceStore access, MerkleFrontier from, SignatureKeyPair? signer,
        string? id = null, string? device = null, string[]? rights = null, string catalogEvent = DareCatalogEvent.New)
    {
        var payload = device is null ? [] : MeshJson.Serialize(new CatalogedAccess
        {
            Uid = id,
            Capability = new AccessCapability { Udf = device, Rights = [.. rights!] },
        });
        return access.Frame(payload, from, tamper: (header, trailer) =>
        {
            if (id is not null) header.ContentMetaData = new DareContentMeta { UniqueId = id, Event = catalogEvent }.ToJson();
            if (signer is null) return;
            var sign = DareKeyPairs.Signer(signer);
            trailer.Signatures = [new DareSignature { Algorithm = sign.Algorithm, KeyIdentifier = sign.KeyIdentifier, SignatureValue = sign.Sign(SHA512.HashData(payload)) }];
        });
    }

    /// <summary>The admin device writes frame 0 and one entry restricting <paramref name="device"/> to <paramref name="rights"/>.</summary>
    Task RestrictAsync(Account account, string device, params string[] rights) => RestrictAsync(server.Client, account, device, rights);

    async Task RestrictAsync(Sync.V1.Sync.SyncClient replica, Account account, string device, params string[] rights)
    {
        var (frame0, after0) = AccessFrame(account.Access, account.Access.Frontier, account.AdminKey);
        var (entry, after1) = AccessFrame(account.Access, after0, account.AdminKey, "access-" + device, device, rights);
        var response = await replica.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [account.Access.Expecting(account.Access.Frontier, [frame0, entry])] }, SyncServer.DeviceOf(account.Address, Admin));
        Assert.Equal(MeshStatus.Success, response.Status);
        account.Access.Commit(after1);
    }

    [Fact]
    public async Task Status_lists_only_the_stores_an_Access_entry_lets_the_device_read()
    {
        var account = await NewAccountAsync();
        await RestrictAsync(account, Reader, "Credential:Read", "Bookmark:Write");

        var restricted = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account.Address, Reader));
        var unrestricted = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account.Address, Admin));

        Assert.Equal(["Credential"], restricted.ContainerStatus!.Select(s => s.Container));
        Assert.Equal(StoreNames.All, unrestricted.ContainerStatus!.Select(s => s.Container));
    }

    [Fact]
    public async Task Download_of_a_store_the_device_may_not_read_is_refused()
    {
        var account = await NewAccountAsync();
        await RestrictAsync(account, Reader, "Credential:Read");

        var refused = await server.Client.CallAsync<DownloadResponse>(
            new DownloadRequest { Select = [new ConstraintsSelect { Container = "Bookmark" }] }, SyncServer.DeviceOf(account.Address, Reader));
        var allowed = await server.Client.CallAsync<DownloadResponse>(
            new DownloadRequest { Select = [new ConstraintsSelect { Container = "Credential" }] }, SyncServer.DeviceOf(account.Address, Reader));

        Assert.Equal(MeshStatus.Forbidden, refused.Status);
        Assert.Contains("no right to read store 'Bookmark'", refused.StatusDescription);
        Assert.Equal(MeshStatus.Success, allowed.Status);
    }

    [Fact]
    public async Task Transact_to_a_store_the_device_may_not_write_is_refused_and_writes_nothing()
    {
        var account = await NewAccountAsync();
        await RestrictAsync(account, Reader, "Credential:Read", "Bookmark:Write");
        var (credential, _) = new DeviceStore("Credential").Update(DeviceStore.Payload("frame 0"));
        var (bookmark, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"));

        var refused = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [credential] }, SyncServer.DeviceOf(account.Address, Reader));
        var allowed = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [bookmark] }, SyncServer.DeviceOf(account.Address, Reader));

        Assert.Equal(MeshStatus.Forbidden, refused.Status);
        Assert.Contains("no right to write store 'Credential'", refused.StatusDescription);
        Assert.Equal(EntryResult.Reject, Assert.Single(refused.Entries!).Result);
        Assert.Empty(await StoreTable.EntriesAsync(server.DataSource, account.Address, "Credential"));
        Assert.Equal(MeshStatus.Success, allowed.Status);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account.Address, "Bookmark"));
    }

    [Fact]
    public async Task An_Access_entry_written_through_another_replica_restricts_the_device_on_this_one_at_once()
    {
        var account = await NewAccountAsync();
        var bookmarks = new DeviceStore("Bookmark");
        var (first, afterFirst) = bookmarks.Update(DeviceStore.Payload("frame 0, written before any Access entry"));
        Assert.Equal(MeshStatus.Success,
            (await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [first] }, SyncServer.DeviceOf(account.Address, Reader))).Status);
        bookmarks.Commit(afterFirst);

        // This replica kept the account's stores with an empty Access store: full rights for every device.
        await RestrictAsync(await server.ReplicaAsync(), account, Reader, "Bookmark:Read");
        var (second, _) = bookmarks.Update(DeviceStore.Payload("entry 1"));
        var refused = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [second] }, SyncServer.DeviceOf(account.Address, Reader));
        var allowed = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [second] }, SyncServer.DeviceOf(account.Address, Admin));

        Assert.Equal(MeshStatus.Forbidden, refused.Status);
        Assert.Contains("no right to write store 'Bookmark'", refused.StatusDescription);
        Assert.Equal(MeshStatus.Success, allowed.Status);
        Assert.Equal(2, (await StoreTable.EntriesAsync(server.DataSource, account.Address, "Bookmark")).Count);
    }

    /// <summary>The admin device appends one Access entry (an Update of <paramref name="id"/>, or its Delete) through <paramref name="replica"/>.</summary>
    async Task AppendAccessAsync(Sync.V1.Sync.SyncClient replica, Account account, string id, string? device, string[]? rights, string catalogEvent)
    {
        var (entry, after) = AccessFrame(account.Access, account.Access.Frontier, account.AdminKey, id, device, rights, catalogEvent);
        var response = await replica.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [account.Access.Expecting(account.Access.Frontier, [entry])] }, SyncServer.DeviceOf(account.Address, Admin));
        Assert.Equal(MeshStatus.Success, response.Status);
        account.Access.Commit(after);
    }

    [Fact]
    public async Task Each_new_Access_entry_replaces_the_policy_this_replica_kept_for_the_count_before()
    {
        var account = await NewAccountAsync();
        var reader = SyncServer.DeviceOf(account.Address, Reader);
        await RestrictAsync(account, Reader, "Credential:Read");
        var (bookmark, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"));
        var credentials = new DownloadRequest { Select = [new ConstraintsSelect { Container = "Credential" }] };
        Assert.Equal(MeshStatus.Forbidden, (await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [bookmark] }, reader)).Status);
        Assert.Equal(MeshStatus.Success, (await server.Client.CallAsync<DownloadResponse>(credentials, reader)).Status);

        // The entry is updated to write bookmarks only: the read right on credentials goes.
        await AppendAccessAsync(server.Client, account, "access-" + Reader, Reader, ["Bookmark:Write"], DareCatalogEvent.Update);
        var written = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [bookmark] }, reader);
        var unread = await server.Client.CallAsync<DownloadResponse>(credentials, reader);
        Assert.Equal(MeshStatus.Success, written.Status);
        Assert.Equal(MeshStatus.Forbidden, unread.Status);

        // Deleted through another replica: the device is unrestricted again here.
        await AppendAccessAsync(await server.ReplicaAsync(), account, "access-" + Reader, null, null, DareCatalogEvent.Delete);
        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), reader);
        Assert.Equal(StoreNames.All, status.ContainerStatus!.Select(s => s.Container));
        Assert.Equal(MeshStatus.Success, (await server.Client.CallAsync<DownloadResponse>(credentials, reader)).Status);
    }

    [Fact]
    public async Task Wildcard_read_right_reads_every_store_but_writes_none()
    {
        var account = await NewAccountAsync();
        await RestrictAsync(account, Reader, "*:Read");
        var (contact, _) = new DeviceStore("Contact").Update(DeviceStore.Payload("frame 0"));

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account.Address, Reader));
        var write = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [contact] }, SyncServer.DeviceOf(account.Address, Reader));

        Assert.Equal(StoreNames.All, status.ContainerStatus!.Select(s => s.Container));
        Assert.Equal(MeshStatus.Forbidden, write.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Access_store_refuses_an_entry_not_signed_by_the_administration_key(bool signedByAnotherKey)
    {
        var account = await NewAccountAsync();
        using var other = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var (frame0, _) = AccessFrame(account.Access, account.Access.Frontier, signedByAnotherKey ? other : null);

        var response = await server.Client.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [account.Access.Expecting(account.Access.Frontier, [frame0])] }, SyncServer.DeviceOf(account.Address, Admin));

        Assert.Equal(MeshStatus.Forbidden, response.Status);
        Assert.Contains("must be signed by the account's administration key", response.StatusDescription);
        Assert.Empty(await StoreTable.EntriesAsync(server.DataSource, account.Address, "Access"));
    }

    [Fact]
    public async Task Access_store_refuses_a_signed_entry_that_is_not_a_CatalogedAccess()
    {
        var account = await NewAccountAsync();
        var (frame0, after0) = AccessFrame(account.Access, account.Access.Frontier, account.AdminKey);
        var payload = MeshJson.Serialize(new CatalogedBookmark { Uid = "b1", Uri = "https://example.com/" });
        var (bookmark, _) = account.Access.Frame(payload, after0, tamper: (_, trailer) =>
        {
            var sign = DareKeyPairs.Signer(account.AdminKey);
            trailer.Signatures = [new DareSignature { Algorithm = sign.Algorithm, KeyIdentifier = sign.KeyIdentifier, SignatureValue = sign.Sign(SHA512.HashData(payload)) }];
        });

        var response = await server.Client.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [account.Access.Expecting(account.Access.Frontier, [frame0, bookmark])] }, SyncServer.DeviceOf(account.Address, Admin));

        Assert.Equal(MeshStatus.Forbidden, response.Status);
        Assert.Contains("other than a CatalogedAccess", response.StatusDescription);
        Assert.Empty(await StoreTable.EntriesAsync(server.DataSource, account.Address, "Access"));
    }

    [Fact]
    public async Task Principal_naming_another_account_UDF_is_refused_by_every_transaction()
    {
        var account = await NewAccountAsync();
        var stranger = SyncServer.DeviceOf(account.Address, Admin, accountUdf: "MOTH-ERAC-COUN");
        var (bookmark, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"));

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), stranger);
        var download = await server.Client.CallAsync<DownloadResponse>(new DownloadRequest(), stranger);
        var transact = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [bookmark] }, stranger);

        Assert.All(new MeshResponse[] { status, download, transact }, r =>
        {
            Assert.Equal(MeshStatus.Forbidden, r.Status);
            Assert.Contains("not to MOTH-ERAC-COUN", r.StatusDescription);
        });
        Assert.Equal(0, await StoreTable.TotalEntriesAsync(server.DataSource, account.Address));
    }

    [Fact]
    public async Task CreateStores_for_another_account_UDF_at_a_held_address_fails_and_DeleteStores_for_it_removes_nothing()
    {
        var account = await NewAccountAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.CreateStoresAsync(
            new CreateStoresRequest { AccountAddress = account.Address, AccountUdf = "MOTH-ERAC-COUN" }));
        var deleted = await server.Client.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account.Address, AccountUdf = "MOTH-ERAC-COUN" });
        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account.Address));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(0, deleted.Deleted);
        Assert.Equal(StoreNames.All, status.ContainerStatus!.Select(s => s.Container));
    }
}
