using System.Security.Cryptography;
using System.Text;
using Mesh.Client.Accounts;
using Mesh.Client.Transport;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Encoding = System.Text.Encoding;

namespace Mesh.Client.State;

/// <summary>
/// A device's state directory (<c>--home DIR</c>, else MESH_HOME, else ~/.mesh):
/// <code>
/// device.key                 32 random bytes, mode 600: the root of every sealed file
/// device/seed.sealed         the device seed UDF (SecretBox)
/// device/profile.dare        the self-signed ProfileDevice envelope
/// accounts/ADDRESS/...       one folder per account (see <see cref="MeshAccount"/>)
/// </code>
/// </summary>
public sealed class MeshHome : IDisposable
{
    public const string EnvironmentVariable = "MESH_HOME";
    const string DeviceKeyFile = "device.key";
    const string DeviceSeedFile = "device/seed.sealed";
    const string DeviceProfileFile = "device/profile.dare";

    readonly SecretBox box;

    MeshHome(string directory, SecretBox box, ProfileKeySet deviceKeys, DareEnvelope deviceProfile)
    {
        Directory = directory;
        this.box = box;
        DeviceKeys = deviceKeys;
        DeviceProfile = deviceProfile;
    }

    public string Directory { get; }

    public ProfileKeySet DeviceKeys { get; }

    public DareEnvelope DeviceProfile { get; }

    public string DeviceUdf => DeviceKeys.ProfileUdf;

    /// <summary>What this device presents in Device and Profile mode (ADR 0005).</summary>
    public DeviceCredential DeviceCredential =>
        new(DeviceProfile, DeviceKeys.Signature(MeshKeyOperation.Sign), DeviceKeys.Agreement(MeshKeyOperation.Encrypt));

    /// <summary>The folder <paramref name="explicitDirectory"/>, else $MESH_HOME, else ~/.mesh.</summary>
    public static string ResolveDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".mesh");
    }

    /// <summary>Opens the home, creating the device key and device profile on first use.</summary>
    public static MeshHome Open(string? explicitDirectory = null)
    {
        var directory = ResolveDirectory(explicitDirectory);
        CreatePrivateDirectory(directory);
        CreatePrivateDirectory(Path.Combine(directory, "device"));
        var box = new SecretBox(ReadOrCreateDeviceKey(Path.Combine(directory, DeviceKeyFile)));
        try
        {
            var (keys, profile) = LoadOrCreateDevice(directory, box);
            return new MeshHome(directory, box, keys, profile);
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    static byte[] ReadOrCreateDeviceKey(string path)
    {
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            FileIo.CreateSecret(path, fresh);
            return fresh;
        }
        FileIo.RequireOwnerOnly(path);
        var key = File.ReadAllBytes(path);
        if (key.Length != 32) throw new MeshClientException($"{path} must hold 32 bytes, it holds {key.Length}");
        return key;
    }

    static (ProfileKeySet, DareEnvelope) LoadOrCreateDevice(string directory, SecretBox box)
    {
        var seedPath = Path.Combine(directory, DeviceSeedFile);
        var profilePath = Path.Combine(directory, DeviceProfileFile);
        if (!File.Exists(seedPath))
        {
            var created = ProfileKeySet.Generate(MeshActor.Device);
            var envelope = ProfileFactory.Device(created);
            FileIo.WriteAtomic(seedPath, box.Seal(Encoding.UTF8.GetBytes(created.Seed), DeviceSeedFile), secret: true);
            FileIo.WriteAtomic(profilePath, envelope.ToJson());
            return (created, envelope);
        }
        var keys = ProfileKeySet.FromSeed(OpenSealedText(box, seedPath, DeviceSeedFile), MeshActor.Device);
        var profile = ReadEnvelope(profilePath, "device profile");
        var device = Assertions.OpenProfile<ProfileDevice>(profile);
        if (device.ProfileSignature?.Udf != keys.ProfileUdf)
            throw new MeshCryptoException($"{profilePath} is not the profile of this device's seed");
        return (keys, profile);
    }

    internal string SealText(string text, string relativePath)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            FileIo.WriteAtomic(Path.Combine(Directory, relativePath), box.Seal(bytes, relativePath), secret: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
        return relativePath;
    }

    internal string OpenSealedText(string relativePath) => OpenSealedText(box, Path.Combine(Directory, relativePath), relativePath);

    static string OpenSealedText(SecretBox box, string path, string label)
    {
        if (!File.Exists(path)) throw new MeshClientException($"{path} is missing");
        var plain = box.Open(File.ReadAllBytes(path), label);
        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    internal static DareEnvelope ReadEnvelope(string path, string what)
    {
        if (!File.Exists(path)) throw new MeshClientException($"{what} is missing ({path})");
        try
        {
            return DareEnvelope.Decode(File.ReadAllBytes(path));
        }
        catch (MeshException e)
        {
            throw new MeshFormatException($"{what} ({path}) is not a DARE envelope: {e.Message}", e);
        }
    }

    internal static void CreatePrivateDirectory(string path)
    {
        if (System.IO.Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(path);
        else System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Addresses of the accounts held on this device.</summary>
    public IReadOnlyList<string> Accounts
    {
        get
        {
            var root = Path.Combine(Directory, MeshAccount.AccountsFolder);
            return System.IO.Directory.Exists(root)
                ? System.IO.Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : [];
        }
    }

    /// <summary>Creates an account from a fresh seed, or from <paramref name="recoverySeed"/> (an exported seed UDF).</summary>
    public MeshAccount CreateAccount(string address, string? serviceUdf = null, string? recoverySeed = null) =>
        MeshAccount.Create(this, address, serviceUdf, recoverySeed);

    public MeshAccount OpenAccount(string address) => MeshAccount.Open(this, address);

    public void Dispose()
    {
        DeviceKeys.Dispose();
        box.Dispose();
    }
}
