using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Client.Sync;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Client.Accounts;

/// <summary>What Status says of an account at its service, beside what this device holds.</summary>
/// <param name="DeviceEntryAtService">Whether the service holds this device's entry in the account's Device catalog.</param>
public sealed record AccountStatus(string Address, string ProfileUdf, Uri Endpoint, IReadOnlyList<StoreStatus> Stores, bool DeviceEntryAtService);

/// <summary>One store: the index the service holds, the index of the local replica and the entries waiting for upload.</summary>
public sealed record StoreStatus(string Store, long? ServiceIndex, long? LocalIndex, int Pending, bool InStep);

/// <summary>
/// An account's life at its service (protocol -09 §7.2, §7.3): create from a fresh seed and bind
/// (Hello for the service profile, BindRequest with the ProfileUser, Device mode), status,
/// synchronise and delete (UnbindRequest). Authenticated calls go through the
/// <see cref="IMeshConnector"/>, which builds the Device or Profile mode.
/// </summary>
public sealed class AccountService(IMeshConnector connector, SyncOptions? syncOptions = null)
{
    /// <summary>
    /// Creates the account on this device with the service's UDF in its profile, binds it, records
    /// the binding and uploads the Device catalog entry. If the service refuses the bind, nothing of
    /// the account is left on the device.
    /// </summary>
    public async Task<MeshAccount> CreateAsync(MeshHome home, string address, Uri endpoint, string? recoverySeed = null,
        CancellationToken cancellation = default)
    {
        var hello = await connector.HelloAsync(endpoint, cancellation);
        var account = home.CreateAccount(address, hello.ServiceUdf, recoverySeed);
        try
        {
            var connection = await connector.ConnectAsync(endpoint, home.DeviceCredential, account: null, cancellation);
            await connection.SendAsync<BindResponse>(new BindRequest
            {
                AccountAddress = account.Address,
                EnvelopedProfileAccount = Assertions.ToEnveloped(account.ProfileUserEnvelope),
            }, cancellation);
        }
        catch
        {
            account.Dispose();
            account.RemoveLocal();
            throw;
        }
        account.RecordBinding(new ServiceBinding(endpoint, hello.ServiceUdf, DateTime.UtcNow, hello.Response.ConstraintsUpdate?.BytesMax));
        return account;
    }

    /// <summary>A Profile-mode connection to the service the account is bound at.</summary>
    public Task<IMeshConnection> ConnectAsync(MeshHome home, MeshAccount account, CancellationToken cancellation = default)
    {
        var binding = account.Binding
            ?? throw new MeshClientException($"{account.Address} is not bound at a service on this device (created with --local?)");
        return connector.ConnectAsync(binding.Endpoint, home.DeviceCredential, account.Credential, cancellation);
    }

    public async Task<SyncResult> SyncAsync(MeshHome home, MeshAccount account, Action<SyncProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var connection = await ConnectAsync(home, account, cancellation);
        return await new SyncEngine(connection, syncOptions).SyncAsync(account, progress, cancellation);
    }

    public async Task<AccountStatus> StatusAsync(MeshHome home, MeshAccount account, CancellationToken cancellation = default)
    {
        var connection = await ConnectAsync(home, account, cancellation);
        var status = AccountStatusCheck.Check(account,
            await connection.SendAsync<StatusResponse>(AccountStatusCheck.Request(account), cancellation));
        var stores = (status.ContainerStatus ?? []).Where(s => s.Container is not null).Select(s =>
        {
            var replica = account.Store(s.Container!);
            var inStep = s.Index == replica.LastIndex && (s.Index is null || (s.Digest ?? []).AsSpan().SequenceEqual(replica.Apex));
            return new StoreStatus(s.Container!, s.Index, replica.LastIndex, replica.Pending.Count, inStep);
        }).ToList();
        return new AccountStatus(account.Address, account.ProfileUdf, account.Binding!.Endpoint, stores, status.EnvelopedCatalogedDevice is not null);
    }

    /// <summary>Unbinds the account at its service (its stores are removed there), then removes it from this device.</summary>
    public async Task DeleteAsync(MeshHome home, MeshAccount account, CancellationToken cancellation = default)
    {
        var connection = await ConnectAsync(home, account, cancellation);
        await connection.SendAsync<UnbindResponse>(new UnbindRequest { Account = account.Address }, cancellation);
        account.Dispose();
        account.RemoveLocal();
    }
}
