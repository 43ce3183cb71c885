using System.Text;
using Mesh.Core.Json;

namespace Mesh.Client.Tests.State;

public sealed class CredentialCatalogTests : IDisposable
{
    readonly TempHome temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Added_credentials_are_listed_and_found_by_service()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        // ArchitectureCredential.md: the two "meshman password add" lines.
        account.Credentials.Add("ftp.example.com", "alice1", "password");
        account.Credentials.Add("www.example.com", "alice@example.com", "newpassword");

        var ftp = Assert.Single(account.Credentials.Get("ftp.example.com"));
        Assert.Equal(("alice1", "password"), (ftp.Username, ftp.Password));
        Assert.Equal(["ftp.example.com", "www.example.com"], account.Credentials.List().Select(c => c.Service));
        Assert.Empty(account.Credentials.Get("mail.example.com"));
    }

    [Fact]
    public void An_entry_larger_than_the_service_takes_is_refused_before_it_is_kept_and_one_within_it_is_kept()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        account.RecordBinding(new Mesh.Client.Accounts.ServiceBinding(new Uri("https://example.com/.well-known/mmm"), "MSER-VICE", DateTime.UtcNow, MaxPayloadBytes: 2048));

        var error = Assert.Throws<MeshClientException>(() => account.Credentials.Add("ftp.example.com", "alice1", new string('x', 4000)));

        Assert.Contains("takes at most 2048", error.Message);
        Assert.Empty(account.Store(Mesh.Client.Accounts.MeshAccount.CredentialStore).Pending.Read());
        account.Credentials.Add("ftp.example.com", "alice1", new string('x', 1000));
        Assert.Single(account.Store(Mesh.Client.Accounts.MeshAccount.CredentialStore).Pending.Read());
    }

    [Fact]
    public void A_later_entry_for_the_same_service_and_username_replaces_the_earlier()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        account.Credentials.Add("ftp.example.com", "alice1", "first");
        account.Credentials.Add("ftp.example.com", "alice1", "second");
        account.Credentials.Add("ftp.example.com", "alice2", "other");
        Assert.Equal(["second", "other"], account.Credentials.Get("FTP.example.com").Select(c => c.Password).Order().Reverse());
        Assert.Equal(3, account.Store("Credential").Pending.Count);
    }

    [Fact]
    public void The_stored_replica_holds_no_plaintext_username_or_password()
    {
        const string username = "zq-unique-user-7731";
        const string password = "zq-secret-pass-4417";
        using (var home = temp.Open())
        using (var account = home.CreateAccount("alice@example.com"))
        {
            account.Credentials.Add("ftp.example.com", username, password);
        }
        var files = Directory.GetFiles(temp.Directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("Credential.pending"));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { username, password })
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
                // Neither in base64url as a payload or field would carry it (three alignments).
                for (var shift = 0; shift < 3; shift++)
                {
                    var encoded = Base64Url.Encode(Encoding.UTF8.GetBytes(new string('x', shift) + secret))[4..^4];
                    Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(encoded)));
                }
            }
        }
        using var reopened = temp.Open();
        using var again = reopened.OpenAccount("alice@example.com");
        Assert.Equal(password, Assert.Single(again.Credentials.Get("ftp.example.com")).Password);
    }

    [Fact]
    public void An_entry_not_signed_by_a_device_of_the_account_is_refused()
    {
        using var other = new TempHome();
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        using var strangerHome = other.Open();
        using var stranger = strangerHome.CreateAccount("alice@example.com", recoverySeed: account.ExportSeed());
        stranger.Credentials.Add("ftp.example.com", "mallory", "pw");
        // The stranger holds the account keys (same seed) but its device was never connected here.
        var entry = stranger.Store("Credential").Pending.Read().Single();
        account.Store("Credential").Pending.Add(entry);
        var error = Assert.Throws<Mesh.Core.MeshCryptoException>(() => account.Credentials.List());
        Assert.Contains("not signed by a device", error.Message);
    }
}
