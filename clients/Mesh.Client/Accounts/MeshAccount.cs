using System.Security.Cryptography;
using Mesh.Client.Transport;
using Mesh.Client.Catalogs;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Client.Accounts;

/// <summary>
/// One account as this device holds it, in <c>HOME/accounts/ADDRESS/</c>:
/// <code>
/// profile.dare               ProfileUser (self-signed)
/// connection-device.dare     ConnectionDevice and connection-service.dare ConnectionService (signed by the administrator key)
/// activation-account.dare    ActivationAccount (encrypted to this device): the account private keys this device uses
/// seed.sealed                the account seed UDF, kept for export/recovery (administrator device only)
/// stores/NAME.dare|frontier  local replicas of the account stores (Device, Credential, ...)
/// </code>
/// </summary>
public sealed class MeshAccount : IDisposable
{
    internal const string AccountsFolder = "accounts";
    const string ProfileFile = "profile.dare";
    const string ConnectionDeviceFile = "connection-device.dare";
    const string ConnectionServiceFile = "connection-service.dare";
    const string ActivationFile = "activation-account.dare";
    const string SeedFile = "seed.sealed";

    /// <summary>Store names (seed -09 §10 catalogs and spools) this client writes.</summary>
    public const string DeviceStore = "Device";
    public const string CredentialStore = "Credential";

    readonly MeshHome home;
    readonly string directory;

    MeshAccount(MeshHome home, string address, string directory, DareEnvelope profileUser, ProfileUser profile, ActivatedKeys keys,
        DareEnvelope connectionDevice)
    {
        this.home = home;
        this.directory = directory;
        Address = address;
        ProfileUserEnvelope = profileUser;
        Profile = profile;
        Keys = keys;
        ConnectionDevice = connectionDevice;
    }

    public string Address { get; }

    /// <summary>The account UDF: fingerprint of the ProfileUser's ProfileSignature key.</summary>
    public string ProfileUdf => Profile.ProfileSignature!.Udf!;

    public ProfileUser Profile { get; }

    public DareEnvelope ProfileUserEnvelope { get; }

    /// <summary>This device's ConnectionDevice, signed by the account's AdministratorSignature key.</summary>
    public DareEnvelope ConnectionDevice { get; }

    /// <summary>Where the account is bound, or null for an account created on this device only.</summary>
    public ServiceBinding? Binding => ServiceBinding.Read(directory);

    internal void RecordBinding(ServiceBinding binding) => binding.Write(directory);

    /// <summary>What Profile mode presents for this account.</summary>
    public AccountCredential Credential => new(Address, ProfileUdf, ConnectionDevice);

    /// <summary>The folder holding the account on this device.</summary>
    public string Folder => directory;

    /// <summary>Removes the account from this device (after the service unbound it).</summary>
    internal void RemoveLocal() => System.IO.Directory.Delete(directory, recursive: true);

    /// <summary>The account private keys granted to this device by its activation.</summary>
    internal ActivatedKeys Keys { get; }

    public string StoresDirectory => Path.Combine(directory, "stores");

    internal static MeshAccount Create(MeshHome home, string address, string? serviceUdf, string? recoverySeed)
    {
        address = MeshAddress.Parse(address);
        var directory = AccountDirectory(home, address);
        if (Directory.Exists(directory)) throw new MeshClientException($"account {address} already exists in {home.Directory}");
        using var accountKeys = recoverySeed is null ? ProfileKeySet.Generate(MeshActor.Account) : ProfileKeySet.FromSeed(recoverySeed, MeshActor.Account);
        var material = AccountMaterial.Create(accountKeys, home.DeviceKeys, home.DeviceProfile, address, serviceUdf);
        MeshHome.CreatePrivateDirectory(Path.Combine(home.Directory, AccountsFolder));
        MeshHome.CreatePrivateDirectory(directory);
        try
        {
            home.SealText(accountKeys.Seed, Relative(address, SeedFile));
            FileIo.WriteAtomic(Path.Combine(directory, ProfileFile), material.ProfileUser.ToJson());
            FileIo.WriteAtomic(Path.Combine(directory, ConnectionDeviceFile), material.ConnectionDevice.ToJson());
            FileIo.WriteAtomic(Path.Combine(directory, ConnectionServiceFile), material.ConnectionService.ToJson());
            FileIo.WriteAtomic(Path.Combine(directory, ActivationFile), material.ActivationAccount.ToJson());
            var account = Open(home, address);
            account.AppendToCatalog(DeviceStore, material.CatalogedDevice);
            return account;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    internal static MeshAccount Open(MeshHome home, string address)
    {
        address = MeshAddress.Parse(address);
        var directory = AccountDirectory(home, address);
        if (!Directory.Exists(directory)) throw new MeshClientException($"no account {address} in {home.Directory}");
        var envelope = MeshHome.ReadEnvelope(Path.Combine(directory, ProfileFile), "account profile");
        var profile = Assertions.OpenProfile<ProfileUser>(envelope);
        if (profile.AccountAddress != address)
            throw new MeshCryptoException($"the profile in {directory} is for {profile.AccountAddress}, not {address}");
        using var admin = KeyDataConvert.ToSignatureKey(profile.AdministratorSignature, "ProfileUser.AdministratorSignature");
        var connection = MeshHome.ReadEnvelope(Path.Combine(directory, ConnectionDeviceFile), "device connection");
        Assertions.RequireSignedBy(connection, admin, "ConnectionDevice");
        var activation = MeshHome.ReadEnvelope(Path.Combine(directory, ActivationFile), "account activation");
        Assertions.RequireSignedBy(activation, admin, "ActivationAccount");
        var keys = ActivatedKeys.Open(activation, home.DeviceKeys.Agreement(MeshKeyOperation.Encrypt), profile);
        return new MeshAccount(home, address, directory, envelope, profile, keys, connection);
    }

    static string AccountDirectory(MeshHome home, string address) => Path.Combine(home.Directory, AccountsFolder, address);

    static string Relative(string address, string file) => Path.Combine(AccountsFolder, address, file);

    /// <summary>The account seed UDF: all the account's private keys derive from it. Show it only to its owner.</summary>
    public string ExportSeed() => home.OpenSealedText(Relative(Address, SeedFile));

    public StoreReplica Store(string name) => StoreReplica.Open(StoresDirectory, name);

    public CredentialCatalog Credentials => new(this);

    /// <summary>
    /// Writes <paramref name="entry"/> to a catalog as an envelope encrypted to the account encryption
    /// key and signed by this device's signature key. It is pending (kept in the replica's pending
    /// file) until a sync has the service accept it. An entry larger than the service takes is
    /// refused here: pending, it would block every later upload to the store.
    /// </summary>
    internal void AppendToCatalog(string store, CatalogedEntry entry)
    {
        var envelope = Assertions.Seal(entry, home.DeviceKeys.Signature(MeshKeyOperation.Sign), Keys.Encryption);
        if (Binding?.MaxPayloadBytes is { } limit && envelope.Payload.Length > limit)
            throw new MeshClientException($"the entry is {envelope.Payload.Length} bytes encrypted; the service of {Address} takes at most {limit}");
        Store(store).Pending.Add(envelope);
    }

    /// <summary>
    /// Decrypts every entry of a catalog replica, then the entries still pending, checking each is
    /// signed by a device of the account.
    /// </summary>
    internal IEnumerable<T> ReadCatalog<T>(string store) where T : CatalogedEntry
    {
        var replica = Store(store);
        // Signers are the devices the Device catalog lists; that catalog vouches for itself entry by entry.
        var devices = new Dictionary<string, SignatureKeyPair>(StringComparer.Ordinal);
        if (store != DeviceStore)
        {
            foreach (var device in ReadCatalog<CatalogedDevice>(DeviceStore)) AddDevice(devices, device);
        }
        var pending = replica.Pending.Read();
        foreach (var envelope in replica.Entries().Concat(pending.Where(p => !replica.Holds(SHA512.HashData(p.Payload)))))
        {
            var item = MeshJson.Deserialize<CatalogedEntry>(envelope.DecryptPayload([DareKeyPairs.Decryption(Keys.Encryption)]));
            if (item is CatalogedDevice device) AddDevice(devices, device);
            var signer = envelope.Signatures.Select(s => s.KeyIdentifier).OfType<string>().FirstOrDefault(devices.ContainsKey)
                ?? throw new MeshCryptoException($"a {store} entry is not signed by a device of {Address}");
            Assertions.RequireSignedBy(envelope, devices[signer], $"{store} entry");
            if (item is T typed) yield return typed;
        }
    }

    /// <summary>The devices in the Device catalog.</summary>
    public IReadOnlyList<CatalogedDevice> Devices => ReadCatalog<CatalogedDevice>(DeviceStore).ToList();

    // A device's entry is trusted once its connection verifies under the account administrator key.
    void AddDevice(Dictionary<string, SignatureKeyPair> keys, CatalogedDevice device)
    {
        if (device.EnvelopedConnectionDevice is null) throw new MeshFormatException($"device {device.Udf} has no ConnectionDevice");
        var envelope = Assertions.FromEnveloped(device.EnvelopedConnectionDevice, "ConnectionDevice");
        using var admin = KeyDataConvert.ToSignatureKey(Profile.AdministratorSignature, "ProfileUser.AdministratorSignature");
        Assertions.RequireSignedBy(envelope, admin, $"connection of device {device.Udf}");
        var connection = Assertions.Open<ConnectionDevice>(envelope);
        var key = KeyDataConvert.ToSignatureKey(connection.Signature, "ConnectionDevice.Signature");
        keys[connection.Signature!.Udf!] = key;
    }

    public void Dispose() => Keys.Dispose();
}

/// <summary>The account private keys an ActivationAccount grants; each checked against the ProfileUser.</summary>
internal sealed class ActivatedKeys : IDisposable
{
    public required SignatureKeyPair ProfileSignature { get; init; }
    public required SignatureKeyPair AdministratorSignature { get; init; }
    public required AgreementKeyPair Encryption { get; init; }
    public required AgreementKeyPair Authentication { get; init; }
    public required SignatureKeyPair Signature { get; init; }

    public static ActivatedKeys Open(DareEnvelope envelope, AgreementKeyPair deviceEncryption, ProfileUser profile)
    {
        var activation = Assertions.Open<ActivationAccount>(envelope, deviceEncryption);
        if (activation.AccountUdf != profile.ProfileSignature?.Udf)
            throw new MeshCryptoException($"the activation is for account {activation.AccountUdf}, not {profile.ProfileSignature?.Udf}");
        return new ActivatedKeys
        {
            ProfileSignature = Matching(KeyDataConvert.ToSignatureKey(activation.ProfileSignature, "ActivationAccount.ProfileSignature"), profile.ProfileSignature),
            AdministratorSignature = Matching(KeyDataConvert.ToSignatureKey(activation.AdministratorSignature, "ActivationAccount.AdministratorSignature"), profile.AdministratorSignature),
            Encryption = Matching(KeyDataConvert.ToAgreementKey(activation.AccountEncryption, "ActivationAccount.AccountEncryption"), profile.CommonEncryption),
            Authentication = Matching(KeyDataConvert.ToAgreementKey(activation.AccountAuthentication, "ActivationAccount.AccountAuthentication"), profile.CommonAuthentication),
            Signature = Matching(KeyDataConvert.ToSignatureKey(activation.AccountSignature, "ActivationAccount.AccountSignature"), profile.CommonSignature),
        };
    }

    static T Matching<T>(T key, KeyData? published) where T : KeyPair
    {
        if (published?.Udf is null || published.Udf != Mesh.Core.Udf.Udf.KeyFingerprint(key))
            throw new MeshCryptoException($"an activated key ({Mesh.Core.Udf.Udf.KeyFingerprint(key)}) is not the one the profile publishes ({published?.Udf})");
        return key;
    }

    public void Dispose()
    {
        ProfileSignature.Dispose();
        AdministratorSignature.Dispose();
        Encryption.Dispose();
        Authentication.Dispose();
        Signature.Dispose();
    }
}
