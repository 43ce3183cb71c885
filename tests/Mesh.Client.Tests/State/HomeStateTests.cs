using System.Text;
using Mesh.Client.State;
using Mesh.Client.Tests.Support;
using Mesh.Core;
using Mesh.Core.Dare;

namespace Mesh.Client.Tests.State;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HomeStateTests : IDisposable
{
    readonly TempHome temp = new();

    public void Dispose() => temp.Dispose();

    string PathOf(string relative) => Path.Combine(temp.Directory, relative);

    [Fact]
    public void Device_key_and_sealed_seeds_are_owner_only_and_hold_no_seed_text()
    {
        string accountSeed;
        using (var home = temp.Open())
        using (var account = home.CreateAccount("alice@example.com"))
        {
            accountSeed = account.ExportSeed();
            Assert.Equal(32, File.ReadAllBytes(PathOf("device.key")).Length);
            foreach (var secret in new[] { "device.key", "device/seed.sealed", "accounts/alice@example.com/seed.sealed" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf(secret)));
            }
            var deviceSeed = home.DeviceKeys.Seed;
            foreach (var file in Directory.GetFiles(temp.Directory, "*", SearchOption.AllDirectories))
            {
                var text = Encoding.ASCII.GetString(File.ReadAllBytes(file));
                Assert.DoesNotContain(accountSeed.Replace("-", "")[..20], text.Replace("-", ""));
                Assert.DoesNotContain(deviceSeed.Replace("-", "")[..20], text.Replace("-", ""));
            }
        }
        using var again = temp.Open();
        using var reopened = again.OpenAccount("alice@example.com");
        Assert.Equal(accountSeed, reopened.ExportSeed());
    }

    [Fact]
    public void A_device_key_readable_by_others_is_refused()
    {
        temp.Open().Dispose();
        File.SetUnixFileMode(PathOf("device.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var error = Assert.Throws<MeshClientException>(() => temp.Open());
        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void A_sealed_seed_does_not_open_under_another_name_or_another_device_key()
    {
        using (var home = temp.Open()) home.CreateAccount("alice@example.com").Dispose();
        File.Copy(PathOf("accounts/alice@example.com/seed.sealed"), PathOf("device/seed.sealed"), overwrite: true);
        Assert.Throws<MeshCryptoException>(() => temp.Open());

        using var box = new SecretBox(new byte[32]);
        var sealedBytes = box.Seal("secret"u8, "a");
        using var otherBox = new SecretBox(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Throws<MeshCryptoException>(() => otherBox.Open(sealedBytes, "a"));
        Assert.Equal("secret"u8.ToArray(), box.Open(sealedBytes, "a"));
        Assert.Throws<MeshFormatException>(() => box.Open(sealedBytes[..10], "a"));
    }

    [Fact]
    public void MESH_HOME_is_used_when_no_directory_is_given()
    {
        var before = Environment.GetEnvironmentVariable(MeshHome.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MeshHome.EnvironmentVariable, temp.Directory);
            Assert.Equal(temp.Directory, MeshHome.ResolveDirectory(null));
            Assert.Equal(Path.GetFullPath("elsewhere"), MeshHome.ResolveDirectory("elsewhere"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(MeshHome.EnvironmentVariable, before);
        }
    }

    [Fact]
    public void A_store_replica_keeps_its_frames_and_frontier_across_opens()
    {
        var directory = PathOf("stores");
        var store = StoreReplica.Open(directory, "Contact");
        Assert.Null(store.LastIndex);
        store.Append(Frames.Chain(store.Frontier, "one", "two"));
        var reopened = StoreReplica.Open(directory, "Contact");
        Assert.Equal(3, reopened.Count);
        Assert.Equal(2, reopened.LastIndex);
        Assert.Equal(["one", "two"], reopened.Entries().Select(e => Encoding.UTF8.GetString(e.Payload)));
        Assert.Equal(store.Frontier, reopened.Frontier);
        Assert.Equal(MerkleFrontier.FromBytes(File.ReadAllBytes(Path.Combine(directory, "Contact.frontier"))), reopened.Frontier);
    }

    [Fact]
    public void A_truncated_store_replica_is_refused()
    {
        var directory = PathOf("stores");
        var store = StoreReplica.Open(directory, "Contact");
        store.Append(Frames.Chain(store.Frontier, "one"));
        var oneEntry = File.ReadAllBytes(Path.Combine(directory, "Contact.dare"));
        store.Append(Frames.Chain(store.Frontier, "two"));
        File.WriteAllBytes(Path.Combine(directory, "Contact.dare"), oneEntry);
        var error = Assert.Throws<MeshCryptoException>(() => StoreReplica.Open(directory, "Contact"));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_rewritten_store_replica_is_refused()
    {
        var directory = PathOf("stores");
        var store = StoreReplica.Open(directory, "Contact");
        store.Append(Frames.Chain(store.Frontier, "one"));
        // Rebuild a consistent store with different content: every digest checks, the frontier does not.
        File.Delete(Path.Combine(directory, "Contact.dare"));
        var frontier = File.ReadAllBytes(Path.Combine(directory, "Contact.frontier"));
        File.Delete(Path.Combine(directory, "Contact.frontier"));
        StoreReplica.Open(directory, "Contact").Append(Frames.Chain(MerkleFrontier.Empty, "ONE"));
        File.WriteAllBytes(Path.Combine(directory, "Contact.frontier"), frontier);
        Assert.Contains("rewritten", Assert.Throws<MeshCryptoException>(() => StoreReplica.Open(directory, "Contact")).Message);
    }

    [Fact]
    public void An_append_whose_frontier_was_not_written_is_kept_and_the_frontier_caught_up()
    {
        var directory = PathOf("stores");
        var store = StoreReplica.Open(directory, "Contact");
        store.Append(Frames.Chain(store.Frontier, "one"));
        var frontierAfterOne = File.ReadAllBytes(Path.Combine(directory, "Contact.frontier"));
        store.Append(Frames.Chain(store.Frontier, "two"));
        File.WriteAllBytes(Path.Combine(directory, "Contact.frontier"), frontierAfterOne);
        var reopened = StoreReplica.Open(directory, "Contact");
        Assert.Equal(3, reopened.Count);
        Assert.Equal(reopened.Frontier, MerkleFrontier.FromBytes(File.ReadAllBytes(Path.Combine(directory, "Contact.frontier"))));
    }
}
