using Google.Protobuf;
using Grpc.Core;
using Mesh.Account.Domain;
using Mesh.Account.Storage;
using Mesh.Account.Tests.Support;
using Mesh.Account.V1;
using Mesh.Common.V1;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Account.Tests;

public sealed class UnbindAccountTests(AccountStack stack) : IClassFixture<AccountStack>
{
    [Fact]
    public async Task Unbind_under_Retire_removes_the_stores_and_the_address_can_never_be_bound_again()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        using var successor = new TestAccount(account.Address);
        await stack.Retiring.BindAsync(account.Bind());

        var unbind = await stack.Retiring.UnbindAsync(account.Address, account.Udf);
        var rebind = await stack.Retiring.BindAsync(successor.Bind());

        Assert.Equal(AccountStatus.Success, unbind.Status);
        Assert.Empty(await Tables.StoresAsync(stack.DataSource, account.Address));
        Assert.Null(await Tables.RecordedProfileUdfAsync(stack.DataSource, account.Address));
        Assert.True(await Tables.RetiredAsync(stack.DataSource, account.Address));
        Assert.Equal(AccountStatus.Conflict, rebind.Status);
        Assert.Contains("retired", rebind.StatusDescription);
        Assert.Equal([(account.Udf, AccountStore.Unbound, true)], await Tables.AccountRowsAsync(stack.DataSource, account.Address));
    }

    [Fact]
    public async Task Unbind_under_Free_removes_the_stores_and_the_address_can_be_bound_by_a_new_account()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        using var successor = new TestAccount(account.Address);
        await stack.Freeing.BindAsync(account.Bind());

        var unbind = await stack.Freeing.UnbindAsync(account.Address, account.Udf);
        var storesAfterUnbind = await Tables.StoresAsync(stack.DataSource, account.Address);
        var rebind = await stack.Freeing.BindAsync(successor.Bind());

        Assert.Equal(AccountStatus.Success, unbind.Status);
        Assert.Empty(storesAfterUnbind);
        Assert.False(await Tables.RetiredAsync(stack.DataSource, account.Address));
        Assert.Equal(AccountStatus.Success, rebind.Status);
        Assert.Equal([(account.Udf, AccountStore.Unbound, true), (successor.Udf, AccountStore.Bound, false)],
            await Tables.AccountRowsAsync(stack.DataSource, account.Address));
    }

    [Fact]
    public async Task Unbind_by_a_principal_of_another_account_UDF_is_refused_and_changes_nothing()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        await stack.Freeing.BindAsync(account.Bind());

        var response = await stack.Freeing.UnbindAsync(account.Address, "MOTH-ERAC-COUN");

        Assert.Equal(AccountStatus.Forbidden, response.Status);
        Assert.Equal([(account.Udf, AccountStore.Bound, false)], await Tables.AccountRowsAsync(stack.DataSource, account.Address));
        Assert.Equal(12, (await Tables.StoresAsync(stack.DataSource, account.Address)).Count);
    }

    [Fact]
    public async Task Unbind_with_Device_authentication_is_unauthenticated()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        await stack.Freeing.BindAsync(account.Bind());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await stack.Freeing.UnbindAccountAsync(
            new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(new UnbindRequest())) }, AccountStack.Device()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(AccountStore.Bound, Assert.Single(await Tables.AccountRowsAsync(stack.DataSource, account.Address)).State);
    }

    [Fact]
    public async Task After_an_unbind_and_a_rebind_the_sync_service_refuses_the_old_account_UDF_and_serves_the_new()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        using var successor = new TestAccount(account.Address);
        await stack.Freeing.BindAsync(account.Bind());
        await stack.Freeing.UnbindAsync(account.Address, account.Udf);
        await stack.Freeing.BindAsync(successor.Bind());
        var call = new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(new StatusRequest())) };

        var stale = MeshJson.Deserialize<StatusResponse>((await stack.Sync.StatusAsync(call, AccountStack.Profile(account.Address, account.Udf))).Payload.Span);
        var current = MeshJson.Deserialize<StatusResponse>((await stack.Sync.StatusAsync(call, AccountStack.Profile(account.Address, successor.Udf))).Payload.Span);

        Assert.Equal(403, stale.Status);
        Assert.Contains($"not to {account.Udf}", stale.StatusDescription);
        Assert.Equal(201, current.Status);
        Assert.Equal(12, current.ContainerStatus!.Count);
    }
}
