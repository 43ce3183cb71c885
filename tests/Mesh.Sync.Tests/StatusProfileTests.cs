using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;
using Mesh.Sync.V1;

namespace Mesh.Sync.Tests;

/// <summary>Status (§7.3.1) hands a device the account profile when it holds another, and its own Device catalog entry.</summary>
public sealed class StatusProfileTests(SyncServer server) : IClassFixture<SyncServer>
{
    static byte[] ProfileEnvelope(string accountUdf) =>
        DareEnvelope.Encode(MeshJson.Serialize(new ProfileUser { ProfileSignature = new KeyData { Udf = accountUdf } }), new DareEnvelopeOptions()).ToJson();

    async Task<(string Account, byte[] Profile)> AccountWithProfileAsync()
    {
        var account = SyncCalls.NewAccount();
        var profile = ProfileEnvelope(SyncServer.AccountUdf);
        await server.Client.CreateStoresAsync(new CreateStoresRequest
        {
            AccountAddress = account, AccountUdf = SyncServer.AccountUdf, ProfileAccount = ByteString.CopyFrom(profile),
        });
        return (account, profile);
    }

    [Fact]
    public async Task Status_returns_the_account_profile_unless_the_device_names_the_digest_of_the_one_it_holds()
    {
        var (account, profile) = await AccountWithProfileAsync();
        var digest = SHA512.HashData(DareEnvelope.Decode(profile).Payload);

        var unnamed = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account));
        var stale = await server.Client.CallAsync<StatusResponse>(new StatusRequest { ProfileMasterDigest = new byte[64] }, SyncServer.DeviceOf(account));
        var current = await server.Client.CallAsync<StatusResponse>(new StatusRequest { ProfileMasterDigest = digest }, SyncServer.DeviceOf(account));

        Assert.Equal(DareEnvelope.Decode(profile).Payload, Payload(unnamed.EnvelopedProfileAccount));
        Assert.Equal(DareEnvelope.Decode(profile).Payload, Payload(stale.EnvelopedProfileAccount));
        Assert.Null(current.EnvelopedProfileAccount);
        Assert.Equal(MeshStatus.Success, current.Status);
    }

    [Fact]
    public async Task CreateStores_with_the_profile_of_another_account_UDF_is_refused_and_creates_nothing()
    {
        var account = SyncCalls.NewAccount();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.CreateStoresAsync(new CreateStoresRequest
        {
            AccountAddress = account, AccountUdf = SyncServer.AccountUdf, ProfileAccount = ByteString.CopyFrom(ProfileEnvelope("MOTH-ERAC-COUN")),
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("MOTH-ERAC-COUN", error.Status.Detail);
        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account));
        Assert.Equal(MeshStatus.NotFound, status.Status);
    }

    [Fact]
    public async Task Status_hands_each_device_the_last_Device_catalog_entry_that_names_it()
    {
        var (account, _) = await AccountWithProfileAsync();
        var devices = new DeviceStore("Device");
        var frames = new List<Enveloped>();
        var frontier = devices.Frontier;
        foreach (var (payload, device) in new[] { ("frame 0", null), ("first", "MDEV-ICE1-TEST"), ("other", "MDEV-ICE2-TEST"), ("second", "MDEV-ICE1-TEST") })
        {
            var (frame, after) = devices.Frame(DeviceStore.Payload(payload), frontier,
                tamper: (header, _) => header.ContentMetaData = device is null ? null : new DareContentMeta { UniqueId = device }.ToJson());
            frames.Add(frame);
            frontier = after;
        }
        var transact = await server.Client.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [devices.Expecting(devices.Frontier, frames)] }, SyncServer.DeviceOf(account));
        Assert.Equal(MeshStatus.Success, transact.Status);

        var first = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account, "MDEV-ICE1-TEST"));
        var second = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account, "MDEV-ICE2-TEST"));
        var unknown = await server.Client.CallAsync<StatusResponse>(new StatusRequest(), SyncServer.DeviceOf(account, "MDEV-ICE3-TEST"));

        Assert.Equal(DeviceStore.Payload("second"), Payload(first.EnvelopedCatalogedDevice));
        Assert.Equal(DeviceStore.Payload("other"), Payload(second.EnvelopedCatalogedDevice));
        Assert.Null(unknown.EnvelopedCatalogedDevice);
    }

    [Fact]
    public async Task Transact_with_ContentMetaData_that_is_not_a_ContentMeta_is_rejected_and_changes_nothing()
    {
        var (account, _) = await AccountWithProfileAsync();
        var store = new DeviceStore("Device");
        var (frame, _) = store.Frame(DeviceStore.Payload("frame 0"), tamper: (header, _) => header.ContentMetaData = "not json"u8.ToArray());

        var transact = await server.Client.CallAsync<TransactResponse>(
            new TransactRequest { Updates = [store.Expecting(store.Frontier, [frame])] }, SyncServer.DeviceOf(account));

        Assert.Equal(MeshStatus.BadRequest, transact.Status);
        Assert.Contains("ContentMetaData is not a ContentMeta object", transact.StatusDescription);
        Assert.Equal(0, (await StoreTable.StoreAsync(server.DataSource, account, "Device")).Count);
    }

    [Fact]
    public async Task Status_naming_a_store_the_account_does_not_have_is_not_found()
    {
        var (account, _) = await AccountWithProfileAsync();

        var status = await server.Client.CallAsync<StatusResponse>(new StatusRequest { Catalogs = ["Bookmark", "Recipes"] }, SyncServer.DeviceOf(account));

        Assert.Equal(MeshStatus.NotFound, status.Status);
        Assert.Contains("no store 'Recipes'", status.StatusDescription);
        Assert.Null(status.ContainerStatus);
    }

    [Fact]
    public async Task Every_transaction_for_an_account_without_stores_is_not_found()
    {
        var account = SyncCalls.NewAccount();
        var (update, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"));

        var transact = await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [update] }, SyncServer.DeviceOf(account));
        var download = await server.Client.CallAsync<DownloadResponse>(new DownloadRequest(), SyncServer.DeviceOf(account));

        Assert.Equal(MeshStatus.NotFound, transact.Status);
        Assert.Equal(MeshStatus.NotFound, download.Status);
        Assert.Contains("has no stores at this service", transact.StatusDescription);
    }

    static byte[]? Payload(Enveloped? enveloped) => enveloped?.Payload;
}
