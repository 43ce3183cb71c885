namespace Mesh.Sync.Domain;

[Flags]
public enum StoreRights
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>
/// The one place that decides who may use an account's stores. Today every authenticated device of
/// the account may read and write them all; the Access catalog will supply per-store rights later.
/// </summary>
public interface IStoreAccessPolicy
{
    /// <summary>Whether <paramref name="caller"/> may act on <paramref name="account"/> at all.</summary>
    bool MayUseAccount(SyncCaller caller, string account);

    StoreRights RightsOn(SyncCaller caller, string account, string store);
}

/// <summary>Any device the gateway authenticated for the account has full rights on its stores.</summary>
public sealed class DeviceOfAccountPolicy : IStoreAccessPolicy
{
    public bool MayUseAccount(SyncCaller caller, string account) =>
        caller.DeviceAuthenticated && caller.DeviceUdf.Length > 0 &&
        string.Equals(caller.AccountAddress, account, StringComparison.OrdinalIgnoreCase);

    public StoreRights RightsOn(SyncCaller caller, string account, string store) =>
        MayUseAccount(caller, account) ? StoreRights.ReadWrite : StoreRights.None;
}
