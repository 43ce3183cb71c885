using Google.Protobuf;
using Grpc.Core;
using Mesh.Account.Storage;
using Mesh.Account.Stores;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;
using Mesh.Sync.V1;

namespace Mesh.Account.Domain;

/// <summary>Who the gateway authenticated for an UnbindAccount (ADR 0005 principal).</summary>
public sealed record AccountCaller(string AccountAddress, string AccountUdf);

/// <summary>
/// BindAccount and UnbindAccount (protocol -09 §7.2, §10.6–10.7). A bind claims the address
/// ('binding'), has the sync service create the account's stores, and only then marks it bound;
/// when the stores cannot be made the claim is given up (after the stores made so far are removed),
/// so no half-bound account is ever visible. A bind that was cut short before it could clean up
/// leaves a 'binding' row that only a BindAccount with the same profile can finish.
/// </summary>
public sealed class AccountBinding(AccountStore store, SyncStores sync, AccountPolicy policy, ILogger<AccountBinding> logger)
{
    public async Task<BindResponse> BindAsync(BindRequest request, CancellationToken cancellationToken)
    {
        var address = policy.Check(request.AccountAddress);
        var profile = ProfileCheck.Check(request.EnvelopedProfileAccount);
        if (!string.Equals(profile.Profile.AccountAddress, request.AccountAddress, StringComparison.OrdinalIgnoreCase))
            throw new AccountRequestException(AccountStatus.BadRequest,
                $"the ProfileUser is for '{profile.Profile.AccountAddress}', not for the AccountAddress '{request.AccountAddress}'");

        var (result, row) = await store.ClaimAsync(address, profile.AccountUdf, profile.Envelope, cancellationToken);
        switch (result)
        {
            case ClaimResult.Retired:
                throw new AccountRequestException(AccountStatus.Conflict, $"the address '{address}' is retired and cannot be bound again");
            case ClaimResult.Taken when row?.AccountUdf == profile.AccountUdf:
                throw new AccountRequestException(AccountStatus.Conflict, $"the address '{address}' is already bound to this profile ({profile.AccountUdf})");
            case ClaimResult.Taken:
                throw new AccountRequestException(AccountStatus.Conflict, $"the address '{address}' is already bound to another account");
        }

        var create = new CreateStoresRequest
        {
            AccountAddress = address,
            AccountUdf = profile.AccountUdf,
            ProfileAccount = ByteString.CopyFrom(profile.Envelope),
            ApexKeys = { new ApexKey { Algorithm = profile.AdministratorAlgorithm, PublicKey = ByteString.CopyFrom(profile.AdministratorKey) } },
        };
        try
        {
            await sync.CreateAsync(create, cancellationToken);
        }
        catch (RpcException e)
        {
            await AbandonAsync(row!, e, cancellationToken);
            throw new AccountRequestException(e.StatusCode == StatusCode.FailedPrecondition ? AccountStatus.Conflict : AccountStatus.Unavailable,
                $"the stores of '{address}' could not be created ({e.StatusCode}: {e.Status.Detail}); the account is not bound");
        }
        await store.MarkBoundAsync(row!.AccountId, cancellationToken);
        logger.LogInformation("Bound {Address} to account {AccountUdf}", address, profile.AccountUdf);
        return new BindResponse { Status = AccountStatus.Success, StatusDescription = AccountStatus.SuccessDescription };
    }

    // Undoes a claim whose stores failed: removes any stores this account UDF got, then the claim.
    // If the sync service cannot be reached even for that, the claim stays 'binding' (invisible),
    // for a retry with the same profile to finish.
    async Task AbandonAsync(AccountRow row, RpcException cause, CancellationToken cancellationToken)
    {
        try
        {
            await sync.DeleteAsync(new DeleteStoresRequest { AccountAddress = row.Address, AccountUdf = row.AccountUdf }, cancellationToken);
            await store.ReleaseAsync(row.AccountId, CancellationToken.None);
            logger.LogWarning("Bind of {Address} abandoned: stores not created ({Status}: {Detail})", row.Address, cause.StatusCode, cause.Status.Detail);
        }
        catch (RpcException e)
        {
            logger.LogWarning("Bind of {Address} left unfinished (not bound): stores not created ({Status}), not cleaned up ({CleanupStatus}: {Detail})",
                row.Address, cause.StatusCode, e.StatusCode, e.Status.Detail);
        }
    }

    /// <summary>Removes the caller's account: its stores, then the address is freed or retired as the site policy says.</summary>
    public async Task<UnbindResponse> UnbindAsync(AccountCaller caller, UnbindRequest request, CancellationToken cancellationToken)
    {
        if (request.Account is { Length: > 0 } named && !string.Equals(named, caller.AccountAddress, StringComparison.OrdinalIgnoreCase))
            throw new AccountRequestException(AccountStatus.Forbidden, $"the principal acts for '{caller.AccountAddress}', not for '{named}'");
        var address = caller.AccountAddress.ToLowerInvariant();
        var row = await store.BoundAsync(address, cancellationToken)
            ?? throw new AccountRequestException(AccountStatus.NotFound, $"no account is bound at '{address}'");
        if (row.AccountUdf != caller.AccountUdf)
            throw new AccountRequestException(AccountStatus.Forbidden, $"the account bound at '{address}' is not the account {caller.AccountUdf}");
        try
        {
            await sync.DeleteAsync(new DeleteStoresRequest { AccountAddress = address, AccountUdf = row.AccountUdf }, cancellationToken);
        }
        catch (RpcException e)
        {
            throw new AccountRequestException(AccountStatus.Unavailable,
                $"the stores of '{address}' could not be removed ({e.StatusCode}: {e.Status.Detail}); the account stays bound");
        }
        var retire = policy.Unbind == UnbindPolicy.Retire;
        if (!await store.UnbindAsync(row.AccountId, address, row.AccountUdf, retire, cancellationToken))
            throw new AccountRequestException(AccountStatus.NotFound, $"the account at '{address}' was unbound meanwhile");
        logger.LogInformation("Unbound {Address} ({AccountUdf}); address {Outcome}", address, row.AccountUdf, retire ? "retired" : "freed");
        return new UnbindResponse { Status = AccountStatus.Success, StatusDescription = AccountStatus.SuccessDescription };
    }

    /// <summary>The bound account at an address, for the gateway's Profile authentication; null when unbound.</summary>
    public Task<AccountRow?> GetAsync(string address, CancellationToken cancellationToken) =>
        store.BoundAsync(address.ToLowerInvariant(), cancellationToken);
}
