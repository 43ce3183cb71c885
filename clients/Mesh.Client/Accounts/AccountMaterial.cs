using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Client.Accounts;

/// <summary>
/// Everything a new account and its first (administrator) device are made of. Connections are
/// signed by the account's AdministratorSignature key; the activation is encrypted to the
/// device's Encryption key and carries the account private keys the device uses.
/// </summary>
public sealed record AccountMaterial(
    string AccountAddress,
    string ProfileUdf,
    DareEnvelope ProfileUser,
    DareEnvelope ProfileDevice,
    DareEnvelope ConnectionDevice,
    DareEnvelope ConnectionService,
    DareEnvelope ActivationAccount,
    CatalogedDevice CatalogedDevice)
{
    /// <summary>Roles of the first device (ConnectionDevice vectors: "message", "web"); it also administers.</summary>
    public static readonly IReadOnlyList<string> FirstDeviceRoles = ["message", "web", "admin"];

    public static AccountMaterial Create(ProfileKeySet account, ProfileKeySet device, DareEnvelope profileDevice,
        string accountAddress, string? serviceUdf)
    {
        var address = MeshAddress.Parse(accountAddress);
        var profileUser = ProfileFactory.User(account, address, serviceUdf);
        var profileUdf = account.ProfileUdf;
        var deviceUdf = device.ProfileUdf;
        var admin = account.Signature(MeshKeyOperation.AdminSign);
        var deviceEncryption = device.Agreement(MeshKeyOperation.Encrypt);

        var connectionDevice = Assertions.Seal(new ConnectionDevice
        {
            AuthorityUdf = profileUdf,
            SubjectUdf = deviceUdf,
            ProfileUdf = deviceUdf,
            AccountAddress = address,
            Active = true,
            Roles = [.. FirstDeviceRoles],
            Authentication = KeyDataConvert.Public(device.Agreement(MeshKeyOperation.Authenticate)),
            Signature = KeyDataConvert.Public(device.Signature(MeshKeyOperation.Sign)),
            Encryption = KeyDataConvert.Public(deviceEncryption),
        }, admin);

        var connectionService = Assertions.Seal(new ConnectionService
        {
            AuthorityUdf = profileUdf,
            SubjectUdf = deviceUdf,
            ProfileUdf = deviceUdf,
            Active = true,
            Authentication = KeyDataConvert.Public(device.Agreement(MeshKeyOperation.Authenticate)),
        }, admin);

        var activationAccount = Assertions.Seal(new ActivationAccount
        {
            AccountUdf = profileUdf,
            ProfileSignature = KeyDataConvert.WithPrivate(account.ProfileSignature),
            AdministratorSignature = KeyDataConvert.WithPrivate(admin),
            AccountEncryption = KeyDataConvert.WithPrivate(account.Agreement(MeshKeyOperation.Encrypt)),
            AccountAuthentication = KeyDataConvert.WithPrivate(account.Agreement(MeshKeyOperation.Authenticate)),
            AccountSignature = KeyDataConvert.WithPrivate(account.Signature(MeshKeyOperation.Sign)),
        }, admin, deviceEncryption);

        var catalogedDevice = new CatalogedDevice
        {
            Uid = deviceUdf,
            Udf = deviceUdf,
            DeviceUdf = deviceUdf,
            SignatureUdf = KeyDataConvert.Public(device.Signature(MeshKeyOperation.Sign)).Udf,
            Updated = DateTime.UtcNow,
            EnvelopedProfileUser = Assertions.ToEnveloped(profileUser),
            EnvelopedProfileDevice = Assertions.ToEnveloped(profileDevice),
            EnvelopedConnectionDevice = Assertions.ToEnveloped(connectionDevice),
            EnvelopedConnectionService = Assertions.ToEnveloped(connectionService),
            EnvelopedActivationAccount = Assertions.ToEnveloped(activationAccount),
        };

        return new AccountMaterial(address, profileUdf, profileUser, profileDevice, connectionDevice,
            connectionService, activationAccount, catalogedDevice);
    }
}
