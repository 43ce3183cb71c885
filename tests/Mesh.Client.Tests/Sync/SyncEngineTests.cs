using Encoding = System.Text.Encoding;
using Mesh.Client.Accounts;
using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Client.Sync;
using Mesh.Client.Tests.Support;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Client.Tests.Sync;

/// <summary>The sync engine against the real sync service (gRPC, PostgreSQL) through <see cref="SyncServiceConnection"/>.</summary>
public sealed class SyncEngineTests(SyncServiceHost service) : IClassFixture<SyncServiceHost>, IDisposable
{
    readonly TempHome first = new();
    readonly List<string> folders = [];
    readonly string address = $"alice{Guid.NewGuid():N}@example.com";

    public void Dispose()
    {
        first.Dispose();
        foreach (var folder in folders) Directory.Delete(folder, recursive: true);
    }

    string? accountUdf;

    SyncServiceConnection Connection(MeshHome home) => new(service.Client, address, accountUdf, home.DeviceUdf);

    BindRequest Bind(MeshAccount account) =>
        new() { AccountAddress = address, EnvelopedProfileAccount = Assertions.ToEnveloped(account.ProfileUserEnvelope) };

    /// <summary>The account created on the first home and bound (its stores created at the service).</summary>
    async Task<(MeshHome Home, MeshAccount Account)> BoundAccountAsync()
    {
        var home = first.Open();
        var account = home.CreateAccount(address);
        accountUdf = account.ProfileUdf;
        await Connection(home).SendAsync<BindResponse>(Bind(account));
        return (home, account);
    }

    /// <summary>A second home holding a copy of the first home's device (README: copying the home folder).</summary>
    (MeshHome Home, MeshAccount Account) Copy()
    {
        var folder = HomeCopy.To(first.Directory, Path.Combine(Path.GetTempPath(), "mesh-client-copy-" + Guid.NewGuid().ToString("N")));
        folders.Add(folder);
        var home = MeshHome.Open(folder);
        return (home, home.OpenAccount(address));
    }

    [Fact]
    public async Task A_credential_added_on_one_home_is_read_on_a_copy_of_the_device_after_sync()
    {
        var (home, account) = await BoundAccountAsync();
        var (copyHome, copy) = Copy();
        account.Credentials.Add("ftp.example.com", "alice1", "secret");

        var uploaded = await new SyncEngine(Connection(home)).SyncAsync(account);
        var downloaded = await new SyncEngine(Connection(copyHome)).SyncAsync(copy);

        // Frame 0 and the device entry in Device, frame 0 and the credential in Credential.
        Assert.Equal(2, uploaded.Uploaded);
        Assert.Equal(4, downloaded.Downloaded);
        var credential = Assert.Single(copy.Credentials.Get("ftp.example.com"));
        Assert.Equal(("alice1", "secret"), (credential.Username, credential.Password));
        Assert.Equal(account.Store("Credential").Apex, copy.Store("Credential").Apex);
        Assert.Equal(0, copy.Store("Device").Pending.Count);
    }

    [Fact]
    public async Task A_store_longer_than_a_page_is_downloaded_in_pages()
    {
        var (home, account) = await BoundAccountAsync();
        var (copyHome, copy) = Copy();
        for (var i = 0; i < 12; i++) account.Credentials.Add($"site{i}.example.com", "alice", $"pw{i}");
        await new SyncEngine(Connection(home)).SyncAsync(account);

        var connection = Connection(copyHome);
        var progress = new List<SyncProgress>();
        var result = await new SyncEngine(connection, new SyncOptions(PageEntries: 100)).SyncAsync(copy, progress.Add);

        var credentialPages = connection.Sent.OfType<DownloadRequest>().Count(d => d.Select![0].Container == "Credential");
        Assert.Equal(3, credentialPages); // 13 frames, at most 5 per response (the service's cap)
        Assert.Equal(13, result.Stores.Single(s => s.Store == "Credential").Downloaded);
        Assert.Equal(12, copy.Credentials.List().Count);
        Assert.Equal([5L, 10, 13], progress.Where(p => p.Store == "Credential" && p.Phase == SyncPhase.Downloading).Select(p => p.Entries));
        Assert.All(progress.Where(p => p.Phase == SyncPhase.Downloading), p => Assert.True(p.Bytes > 0));
    }

    [Fact]
    public async Task Pending_entries_survive_a_restart_and_are_uploaded_once()
    {
        var (home, account) = await BoundAccountAsync();
        account.Credentials.Add("ftp.example.com", "alice1", "secret");
        account.Dispose();
        home.Dispose();

        // A new process: the pending entry is still there and is uploaded.
        using var reopened = first.Open();
        using var again = reopened.OpenAccount(address);
        Assert.Equal(1, again.Store("Credential").Pending.Count);
        var pendingFile = Path.Combine(again.StoresDirectory, "Credential.pending");
        var pendingBytes = File.ReadAllBytes(pendingFile);
        Assert.Equal(1, (await new SyncEngine(Connection(reopened)).SyncAsync(again)).Stores.Single(s => s.Store == "Credential").Uploaded);
        Assert.False(File.Exists(pendingFile));

        // The process stopped after the service accepted but before the pending file was cleared: no second copy.
        File.WriteAllBytes(pendingFile, pendingBytes);
        var second = await new SyncEngine(Connection(reopened)).SyncAsync(again);
        Assert.Equal(0, second.Uploaded);
        Assert.False(File.Exists(pendingFile));
        Assert.Equal(2, await EntryCountAsync("Credential"));
    }

    [Fact]
    public async Task A_conflict_downloads_the_other_devices_entries_and_retries()
    {
        var (home, account) = await BoundAccountAsync();
        await new SyncEngine(Connection(home)).SyncAsync(account);
        var (copyHome, copy) = Copy();
        account.Credentials.Add("ftp.example.com", "alice1", "from-first");
        copy.Credentials.Add("www.example.com", "alice2", "from-copy");

        // The first home uploads between the copy's Status and its Transact.
        var connection = Connection(copyHome);
        var raced = false;
        connection.BeforeSend = async request =>
        {
            if (request is not TransactRequest || raced) return;
            raced = true;
            await new SyncEngine(Connection(home)).SyncAsync(account);
        };
        var progress = new List<SyncProgress>();
        var result = await new SyncEngine(connection).SyncAsync(copy, progress.Add);

        Assert.Equal(1, result.Conflicts);
        Assert.Contains(progress, p => p is { Store: "Credential", Phase: SyncPhase.Conflict });
        Assert.Equal(["ftp.example.com", "www.example.com"], copy.Credentials.List().Select(c => c.Service));
        await new SyncEngine(Connection(home)).SyncAsync(account);
        Assert.Equal(["ftp.example.com", "www.example.com"], account.Credentials.List().Select(c => c.Service));
        Assert.Equal(3, await EntryCountAsync("Credential"));
        Assert.Contains("1 conflict resolved", result.Summary);
    }

    [Fact]
    public async Task Conflicts_that_do_not_end_are_reported_after_the_bounded_attempts_and_nothing_is_lost()
    {
        var (home, account) = await BoundAccountAsync();
        await new SyncEngine(Connection(home)).SyncAsync(account);
        var (copyHome, copy) = Copy();
        copy.Credentials.Add("www.example.com", "alice2", "from-copy");
        var connection = Connection(copyHome);
        var writes = 0;
        connection.BeforeSend = async request =>
        {
            if (request is not TransactRequest) return;
            account.Credentials.Add($"busy{writes++}.example.com", "alice", "pw");
            await new SyncEngine(Connection(home)).SyncAsync(account);
        };

        var error = await Assert.ThrowsAsync<MeshSyncConflictException>(() => new SyncEngine(connection, new SyncOptions(MaxAttempts: 3)).SyncAsync(copy));

        Assert.Contains("Credential", error.Message);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Equal(3, writes);
        Assert.Equal(1, copy.Store("Credential").Pending.Count);
    }

    [Fact]
    public async Task Downloaded_frames_that_do_not_lead_to_the_Status_apex_are_not_applied()
    {
        var (home, account) = await BoundAccountAsync();
        var (copyHome, copy) = Copy();
        account.Credentials.Add("ftp.example.com", "alice1", "secret");
        await new SyncEngine(Connection(home)).SyncAsync(account);
        File.Delete(Path.Combine(copy.StoresDirectory, "Device.pending"));

        // A consistent chain of frames with other content: every frame checks, the apex is not the one Status gave.
        var tampering = new TamperingConnection<DownloadResponse>(Connection(copyHome), download =>
        {
            foreach (var update in download.Updates!)
            {
                var frontier = MerkleFrontier.Empty;
                for (var i = 0; i < update.Envelopes!.Count; i++)
                {
                    var frame = Assertions.FromEnveloped(update.Envelopes[i], "test");
                    var forged = i == 0 ? frame : StoreFrames.Next(Frames.Plain("forged"), frontier);
                    frontier = frontier.Append(forged.Trailer!.PayloadDigest);
                    update.Envelopes[i] = Assertions.ToEnveloped(forged);
                }
            }
        });

        var error = await Assert.ThrowsAsync<MeshCryptoException>(() => new SyncEngine(tampering).SyncAsync(copy));
        Assert.Contains("do not lead to the apex Status gave", error.Message);
        Assert.Equal(0, StoreReplica.Open(copy.StoresDirectory, "Device").Count);
    }

    [Fact]
    public async Task A_downloaded_frame_whose_payload_was_altered_is_refused()
    {
        var (home, account) = await BoundAccountAsync();
        var (copyHome, copy) = Copy();
        await new SyncEngine(Connection(home)).SyncAsync(account);
        var tampering = new TamperingConnection<DownloadResponse>(Connection(copyHome), download =>
        {
            var update = download.Updates!.Single();
            var last = update.Envelopes![^1];
            var payload = last.Payload!.ToArray();
            payload[^1] ^= 1;
            update.Envelopes[^1] = new Enveloped { Header = last.Header, Payload = payload, Trailer = last.Trailer };
        });

        var error = await Assert.ThrowsAsync<MeshCryptoException>(() => new SyncEngine(tampering).SyncAsync(copy));
        Assert.Contains("PayloadDigest does not match its payload", error.Message);
        Assert.Equal(0, copy.Store("Device").Count);
    }

    [Fact]
    public async Task The_service_sends_no_profile_to_a_device_that_holds_the_bound_one()
    {
        var (home, account) = await BoundAccountAsync();
        StatusResponse? seen = null;
        var watching = new TamperingConnection<StatusResponse>(Connection(home), status => seen = status);

        await new SyncEngine(watching).SyncAsync(account);

        Assert.NotNull(seen);
        Assert.Null(seen.EnvelopedProfileAccount);
        Assert.Contains(seen.ContainerStatus!, s => s.Container == "Device");
    }

    [Fact]
    public async Task A_service_presenting_the_profile_of_another_account_is_refused_and_its_own_profile_accepted()
    {
        var (home, account) = await BoundAccountAsync();
        using var otherHome = new TempHome();
        using var other = otherHome.Open().CreateAccount(address);

        var substituted = new TamperingConnection<StatusResponse>(Connection(home),
            status => status.EnvelopedProfileAccount = Assertions.ToEnveloped(other.ProfileUserEnvelope));
        var error = await Assert.ThrowsAsync<MeshCryptoException>(() => new SyncEngine(substituted).SyncAsync(account));
        Assert.Contains($"presents the profile {other.ProfileUdf}", error.Message);
        Assert.Equal(0, account.Store("Device").Count);

        var resent = new TamperingConnection<StatusResponse>(Connection(home),
            status => status.EnvelopedProfileAccount = Assertions.ToEnveloped(account.ProfileUserEnvelope));
        await new SyncEngine(resent).SyncAsync(account);
        Assert.Equal(2, account.Store("Device").Count);
    }

    [Fact]
    public async Task A_service_holding_fewer_frames_than_the_replica_is_refused_as_rolled_back()
    {
        var (home, account) = await BoundAccountAsync();
        await new SyncEngine(Connection(home)).SyncAsync(account);
        await Connection(home).SendAsync<UnbindResponse>(new UnbindRequest { Account = address });
        await Connection(home).SendAsync<BindResponse>(Bind(account));

        var error = await Assert.ThrowsAsync<MeshCryptoException>(() => new SyncEngine(Connection(home)).SyncAsync(account));
        Assert.Contains("rolled back or replaced", error.Message);
    }

    [Fact]
    public async Task The_service_database_holds_no_plaintext_of_a_synced_credential()
    {
        const string password = "zq-secret-pass-8812";
        var (home, account) = await BoundAccountAsync();
        account.Credentials.Add("ftp.example.com", "zq-unique-user-5519", password);
        await new SyncEngine(Connection(home)).SyncAsync(account);

        await using var command = service.DataSource.CreateCommand(
            "SELECT e.envelope FROM sync.entry e JOIN sync.store s ON s.store_id = e.store_id WHERE s.account = @account");
        command.Parameters.AddWithValue("account", address);
        var envelopes = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) envelopes.Add(reader.GetFieldValue<byte[]>(0));
        Assert.Equal(4, envelopes.Count);
        foreach (var envelope in envelopes)
        {
            foreach (var secret in new[] { password, "zq-unique-user-5519", "ftp.example.com" })
                Assert.Equal(-1, envelope.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
    }

    [Fact]
    public async Task Two_homes_syncing_at_once_both_land_every_entry_exactly_once()
    {
        var (home, account) = await BoundAccountAsync();
        await new SyncEngine(Connection(home)).SyncAsync(account);
        var (copyHome, copy) = Copy();
        for (var i = 0; i < 5; i++)
        {
            account.Credentials.Add($"first{i}.example.com", "alice", "pw");
            copy.Credentials.Add($"copy{i}.example.com", "alice", "pw");
        }

        // Each engine gets its own thread; whichever Transact loses gets Conflict and retries.
        var results = await Task.WhenAll(
            Task.Run(() => new SyncEngine(Connection(home), new SyncOptions(MaxAttempts: 10)).SyncAsync(account)),
            Task.Run(() => new SyncEngine(Connection(copyHome), new SyncOptions(MaxAttempts: 10)).SyncAsync(copy)));
        await new SyncEngine(Connection(home)).SyncAsync(account);
        await new SyncEngine(Connection(copyHome)).SyncAsync(copy);

        Assert.Equal(10, results.Sum(r => r.Stores.Single(s => s.Store == "Credential").Uploaded));
        Assert.Equal(11, await EntryCountAsync("Credential"));
        Assert.Equal(10, account.Credentials.List().Count);
        Assert.Equal(account.Store("Credential").Apex, copy.Store("Credential").Apex);
    }

    [Fact]
    public async Task Entries_pending_for_a_store_the_service_does_not_list_are_reported_not_dropped()
    {
        var (home, account) = await BoundAccountAsync();
        account.Store("Notes").Pending.Add(Frames.Plain("kept"));

        var error = await Assert.ThrowsAsync<MeshServiceException>(() => new SyncEngine(Connection(home)).SyncAsync(account));

        Assert.Contains("store Notes, which the service does not list", error.Message);
        Assert.Equal(1, account.Store("Notes").Pending.Count);
    }

    async Task<long> EntryCountAsync(string store)
    {
        await using var command = service.DataSource.CreateCommand(
            "SELECT count(*) FROM sync.entry e JOIN sync.store s ON s.store_id = e.store_id WHERE s.account = @account AND s.name = @store");
        command.Parameters.AddWithValue("account", address);
        command.Parameters.AddWithValue("store", store);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
