using Mesh.Client.Accounts;
using Mesh.Client.Profiles;
using Mesh.Client.Sync;
using Mesh.Client.Tests.Support;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Client.Tests.Accounts;

/// <summary>Create (bind), status and delete (unbind) against the real sync service through the test connector.</summary>
public sealed class AccountServiceTests : IClassFixture<SyncServiceHost>, IDisposable
{
    static readonly Uri Endpoint = new("https://mesh.example.com/.well-known/mmm");
    readonly TempHome temp = new();
    readonly string address = $"alice{Guid.NewGuid():N}@example.com";
    readonly SyncServiceConnector connector;

    public AccountServiceTests(SyncServiceHost service) => connector = new SyncServiceConnector(service.Client);

    public void Dispose()
    {
        connector.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Create_binds_the_self_signed_profile_with_the_service_UDF_and_records_the_binding()
    {
        using var home = temp.Open();
        using var account = await new AccountService(connector).CreateAsync(home, address, Endpoint);

        var bind = Assert.IsType<BindRequest>(Assert.Single(connector.Connections.Single().Sent));
        Assert.Equal(address, bind.AccountAddress);
        var profile = Assertions.OpenProfile<ProfileUser>(Assertions.FromEnveloped(bind.EnvelopedProfileAccount!, "bound profile"));
        Assert.Equal(connector.ServiceUdf, profile.ServiceUdf);
        Assert.Equal(account.ProfileUdf, profile.ProfileSignature!.Udf);
        Assert.Equal(new ServiceBinding(Endpoint, connector.ServiceUdf, account.Binding!.Bound), account.Binding);
        Assert.Equal(1, account.Store("Device").Pending.Count);
    }

    [Fact]
    public async Task A_refused_bind_leaves_no_account_on_the_device()
    {
        connector.RefuseBind = (409, "address already bound");
        using var home = temp.Open();

        var error = await Assert.ThrowsAsync<MeshServiceException>(() => new AccountService(connector).CreateAsync(home, address, Endpoint));

        Assert.Equal(409, error.Status);
        Assert.Contains("address already bound", error.Message);
        Assert.Empty(home.Accounts);
    }

    [Fact]
    public async Task Status_compares_the_service_with_the_replicas_and_counts_pending_entries()
    {
        using var home = temp.Open();
        var accounts = new AccountService(connector);
        using var account = await accounts.CreateAsync(home, address, Endpoint);
        await accounts.SyncAsync(home, account);
        account.Credentials.Add("ftp.example.com", "alice1", "secret");

        var status = await accounts.StatusAsync(home, account);

        Assert.Equal(Endpoint, status.Endpoint);
        Assert.Equal(12, status.Stores.Count);
        Assert.Equal(new StoreStatus("Device", 1, 1, 0, true), status.Stores.Single(s => s.Store == "Device"));
        Assert.Equal(new StoreStatus("Credential", null, null, 1, true), status.Stores.Single(s => s.Store == "Credential"));
    }

    [Fact]
    public async Task Delete_unbinds_at_the_service_and_removes_the_account_from_the_device()
    {
        using var home = temp.Open();
        var accounts = new AccountService(connector);
        var account = await accounts.CreateAsync(home, address, Endpoint);
        await accounts.SyncAsync(home, account);

        await accounts.DeleteAsync(home, account);

        Assert.Empty(home.Accounts);
        Assert.IsType<UnbindRequest>(connector.Connections.Last().Sent.Single());
        var probe = await connector.ConnectAsync(Endpoint, home.DeviceCredential, new Mesh.Client.Transport.AccountCredential(address, "MUNUSED", account.ConnectionDevice));
        var error = await Assert.ThrowsAsync<MeshServiceException>(() => probe.SendAsync<StatusResponse>(new StatusRequest { Account = address }));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task An_account_created_on_this_device_only_cannot_sync()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount(address);
        var error = await Assert.ThrowsAsync<MeshClientException>(() => new AccountService(connector).SyncAsync(home, account));
        Assert.Contains("not bound at a service", error.Message);
    }
}
