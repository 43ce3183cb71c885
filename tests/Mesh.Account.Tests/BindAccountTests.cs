using Grpc.Core;
using Mesh.Account.Domain;
using Mesh.Account.Storage;
using Mesh.Account.Tests.Support;
using Mesh.Account.V1;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;
using Mesh.Sync.Domain;

namespace Mesh.Account.Tests;

public sealed class BindAccountTests(AccountStack stack) : IClassFixture<AccountStack>
{
    static readonly string[] TwelveStores =
        ["Device", "Contact", "Credential", "Bookmark", "Task", "Network", "Application", "Access", "Publication", "Inbound", "Outbound", "Local"];

    [Fact]
    public async Task Bind_with_a_valid_profile_binds_the_account_and_creates_exactly_its_twelve_stores()
    {
        using var account = new TestAccount(TestAccount.NewAddress());

        var response = await stack.Retiring.BindAsync(account.Bind());

        Assert.Equal(AccountStatus.Success, response.Status);
        Assert.Equal([(account.Udf, AccountStore.Bound, false)], await Tables.AccountRowsAsync(stack.DataSource, account.Address));
        var stores = await Tables.StoresAsync(stack.DataSource, account.Address);
        Assert.Equal(TwelveStores, stores.Select(s => s.Name));
        Assert.Equal(StoreNames.All, stores.Select(s => s.Name));
        Assert.All(stores, s => Assert.Equal(account.Udf, s.Udf));
        var admin = Udf.KeyFingerprint(account.Keys.Signature(MeshKeyOperation.AdminSign));
        Assert.Equal([admin], await Tables.ApexKeysAsync(stack.DataSource, account.Address));
        Assert.Equal(account.Udf, await Tables.RecordedProfileUdfAsync(stack.DataSource, account.Address));
    }

    [Fact]
    public async Task GetAccount_returns_the_bound_profile_and_account_UDF_and_NOT_FOUND_for_an_unbound_address()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        await stack.Retiring.BindAsync(account.Bind());

        var record = await stack.Retiring.GetAccountAsync(new GetAccountRequest { AccountAddress = account.Address.ToUpperInvariant() });
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Retiring.GetAccountAsync(new GetAccountRequest { AccountAddress = TestAccount.NewAddress() }));

        Assert.Equal(account.Address, record.AccountAddress);
        Assert.Equal(account.Udf, record.AccountUdf);
        Assert.Equal(account.Profile.Payload, Mesh.Core.Dare.DareEnvelope.Decode(record.EnvelopedProfileAccount.ToByteArray()).Payload);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    public static TheoryData<string> Refusals =>
        ["no profile", "not a ProfileUser", "signed by another key", "address mismatch", "too long", "invalid character", "foreign domain"];

    [Theory, MemberData(nameof(Refusals))]
    public async Task Bind_that_breaks_a_rule_is_refused_with_a_clear_status_and_changes_nothing(string rule)
    {
        var (address, request, status, description) = Refused(rule);

        var response = await stack.Retiring.BindAsync(request);

        Assert.Equal(status, response.Status);
        Assert.Contains(description, response.StatusDescription);
        Assert.Empty(await Tables.AccountRowsAsync(stack.DataSource, address));
        Assert.Empty(await Tables.StoresAsync(stack.DataSource, address));
    }

    static (string Address, BindRequest Request, long Status, string Description) Refused(string rule)
    {
        var address = TestAccount.NewAddress();
        using var account = new TestAccount(address);
        switch (rule)
        {
            case "no profile":
                return (address, new BindRequest { AccountAddress = address }, AccountStatus.BadRequest, "no EnvelopedProfileAccount");
            case "not a ProfileUser":
            {
                using var device = ProfileKeySet.Generate(MeshActor.Device);
                var request = new BindRequest { AccountAddress = address, EnvelopedProfileAccount = Assertions.ToEnveloped(ProfileFactory.Device(device)) };
                return (address, request, AccountStatus.BadRequest, "does not hold a ProfileUser");
            }
            case "signed by another key":
            {
                using var other = ProfileKeySet.Generate(MeshActor.Account);
                var forged = Assertions.Seal(MeshJson.Deserialize<ProfileUser>(account.Profile.Payload), other.ProfileSignature);
                var request = new BindRequest { AccountAddress = address, EnvelopedProfileAccount = Assertions.ToEnveloped(forged) };
                return (address, request, AccountStatus.Forbidden, "not validly signed by its ProfileSignature key");
            }
            case "address mismatch":
            {
                var other = TestAccount.NewAddress();
                return (other, new BindRequest { AccountAddress = other, EnvelopedProfileAccount = account.Bind().EnvelopedProfileAccount },
                    AccountStatus.BadRequest, $"the ProfileUser is for '{address}'");
            }
            case "too long":
            {
                var longAddress = new string('a', AccountPolicy.Maximum + 1) + "@" + AccountStack.Domain;
                using var holder = new TestAccount(longAddress);
                return (longAddress, holder.Bind(), AccountStatus.BadRequest, $"the limit is {AccountPolicy.Maximum}");
            }
            case "invalid character":
            {
                var bad = "al,ice" + Guid.NewGuid().ToString("N")[..6] + "@" + AccountStack.Domain;
                // The client's own address parser may refuse it too: build the request around a valid profile.
                return (bad, new BindRequest { AccountAddress = bad, EnvelopedProfileAccount = account.Bind().EnvelopedProfileAccount },
                    AccountStatus.BadRequest, "contains ','");
            }
            case "foreign domain":
            {
                var foreign = TestAccount.NewAddress("elsewhere.org");
                using var holder = new TestAccount(foreign);
                return (foreign, holder.Bind(), AccountStatus.BadRequest, "does not serve the domain 'elsewhere.org'");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }

    [Fact]
    public async Task Bind_of_an_address_already_bound_is_a_conflict_and_leaves_the_first_account()
    {
        using var first = new TestAccount(TestAccount.NewAddress());
        using var second = new TestAccount(first.Address);
        await stack.Retiring.BindAsync(first.Bind());

        var again = await stack.Retiring.BindAsync(second.Bind());
        var same = await stack.Retiring.BindAsync(first.Bind());

        Assert.Equal(AccountStatus.Conflict, again.Status);
        Assert.Contains("already bound to another account", again.StatusDescription);
        Assert.Equal(AccountStatus.Conflict, same.Status);
        Assert.Equal([(first.Udf, AccountStore.Bound, false)], await Tables.AccountRowsAsync(stack.DataSource, first.Address));
        Assert.All(await Tables.StoresAsync(stack.DataSource, first.Address), s => Assert.Equal(first.Udf, s.Udf));
    }

    [Fact]
    public async Task Bind_without_a_device_principal_is_unauthenticated()
    {
        using var account = new TestAccount(TestAccount.NewAddress());

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.Retiring.BindAsync(account.Bind(), new Metadata()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Empty(await Tables.AccountRowsAsync(stack.DataSource, account.Address));
    }

    [Fact]
    public async Task Bind_with_the_sync_service_down_leaves_nothing_bound_and_a_retry_with_the_same_profile_finishes_it()
    {
        using var account = new TestAccount(TestAccount.NewAddress());
        using var other = new TestAccount(account.Address);

        var down = await stack.WithoutSync.BindAsync(account.Bind());
        var lookup = await Assert.ThrowsAsync<RpcException>(async () =>
            await stack.Retiring.GetAccountAsync(new GetAccountRequest { AccountAddress = account.Address }));
        var rowsWhileDown = await Tables.AccountRowsAsync(stack.DataSource, account.Address);
        var storesWhileDown = await Tables.StoresAsync(stack.DataSource, account.Address);
        var intruder = await stack.Retiring.BindAsync(other.Bind());
        var retry = await stack.Retiring.BindAsync(account.Bind());

        Assert.Equal(AccountStatus.Unavailable, down.Status);
        Assert.Contains("the account is not bound", down.StatusDescription);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
        Assert.DoesNotContain(rowsWhileDown, r => r.State == AccountStore.Bound);
        Assert.Empty(storesWhileDown);
        Assert.Equal(AccountStatus.Conflict, intruder.Status);
        Assert.Equal(AccountStatus.Success, retry.Status);
        Assert.Equal([(account.Udf, AccountStore.Bound, false)], await Tables.AccountRowsAsync(stack.DataSource, account.Address));
        Assert.Equal(12, (await Tables.StoresAsync(stack.DataSource, account.Address)).Count);
    }
}
