using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;
using Mesh.Sync.V1;

namespace Mesh.Sync.Tests;

public sealed class TransactTests(SyncServer server) : IClassFixture<SyncServer>
{
    async Task<(string Account, DeviceStore Store)> AccountWithEntriesAsync(string storeName, int entries)
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var store = new DeviceStore(storeName);
        var (update, after) = store.Update(Enumerable.Range(0, entries).Select(i => DeviceStore.Payload($"entry {i}")).ToArray());
        var response = await Transact(account, new TransactRequest { Updates = [update] });
        Assert.Equal(MeshStatus.Success, response.Status);
        store.Commit(after);
        return (account, store);
    }

    Task<TransactResponse> Transact(string account, TransactRequest request) =>
        server.Client.CallAsync<TransactResponse>(request, SyncServer.DeviceOf(account));

    [Fact]
    public async Task Transact_appends_and_accepts_every_entry_with_its_store_index()
    {
        var (account, store) = await AccountWithEntriesAsync("Contact", 2);
        var (update, _) = store.Update(DeviceStore.Payload("third"));

        var response = await Transact(account, new TransactRequest { Updates = [update] });

        Assert.Equal(MeshStatus.Success, response.Status);
        var entry = Assert.Single(response.Entries!);
        Assert.Equal(EntryResult.Accept, entry.Result);
        Assert.Equal(2, entry.IndexContainer);
        Assert.Equal(3, (await StoreTable.EntriesAsync(server.DataSource, account, "Contact")).Count);
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Contact");
    }

    [Fact]
    public async Task Transact_with_stale_index_is_a_conflict_and_changes_nothing()
    {
        var (account, store) = await AccountWithEntriesAsync("Contact", 3);
        var stale = store.Frontier;
        var (newer, after) = store.Update(DeviceStore.Payload("from another device"));
        Assert.Equal(MeshStatus.Success, (await Transact(account, new TransactRequest { Updates = [newer] })).Status);
        var (envelope, _) = store.Frame(DeviceStore.Payload("late"), stale);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(stale, [envelope])] });

        Assert.Equal(MeshStatus.Conflict, response.Status);
        Assert.Equal(EntryResult.Conflict, Assert.Single(response.Entries!).Result);
        Assert.Contains("at index 3", response.StatusDescription);
        var (count, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, "Contact");
        Assert.Equal(4, count);
        Assert.Equal(after.Apex, apex);
    }

    [Fact]
    public async Task Transact_with_forged_apex_is_rejected_and_changes_nothing()
    {
        var (account, store) = await AccountWithEntriesAsync("Credential", 2);
        var (envelope, _) = store.Frame(DeviceStore.Payload("entry"), tamper: (_, trailer) => trailer.ApexDigest![0] ^= 1);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(MeshStatus.BadRequest, response.Status);
        Assert.Equal(EntryResult.Reject, Assert.Single(response.Entries!).Result);
        Assert.Contains("ApexDigest does not match", response.StatusDescription);
        Assert.Equal(2, (await StoreTable.EntriesAsync(server.DataSource, account, "Credential")).Count);
    }

    [Fact]
    public async Task Transact_with_forged_payload_digest_is_rejected()
    {
        var (account, store) = await AccountWithEntriesAsync("Credential", 1);
        var (envelope, _) = store.Frame(DeviceStore.Payload("entry"), tamper: (_, trailer) => trailer.PayloadDigest![5] ^= 1);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(EntryResult.Reject, Assert.Single(response.Entries!).Result);
        Assert.Contains("PayloadDigest does not match", response.StatusDescription);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account, "Credential"));
    }

    [Fact]
    public async Task Transact_with_wrong_sequence_index_in_the_frame_is_rejected()
    {
        var (account, store) = await AccountWithEntriesAsync("Task", 1);
        var (envelope, _) = store.Frame(DeviceStore.Payload("entry"), tamper: (header, _) => header.SequenceInfo!.Index = 7);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(EntryResult.Reject, Assert.Single(response.Entries!).Result);
        Assert.Contains("SequenceInfo.Index is 7", response.StatusDescription);
    }

    [Fact]
    public async Task Transact_with_oversize_envelope_is_rejected_as_too_large()
    {
        var (account, store) = await AccountWithEntriesAsync("Network", 1);
        var (envelope, _) = store.Frame(new byte[5000]);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(MeshStatus.TooLarge, response.Status);
        Assert.Equal(EntryResult.Reject, Assert.Single(response.Entries!).Result);
        Assert.Contains("payload is 5000 bytes, the limit is 4096", response.StatusDescription);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account, "Network"));
    }

    [Fact]
    public async Task A_payload_of_exactly_the_advertised_limit_is_accepted_although_its_stored_form_is_larger()
    {
        var (account, store) = await AccountWithEntriesAsync("Network", 1);
        var (envelope, _) = store.Frame(new byte[4096]);

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(MeshStatus.Success, response.Status);
        Assert.True((await StoreTable.EntriesAsync(server.DataSource, account, "Network"))[^1].Envelope.Length > 4096);
    }

    [Fact]
    public async Task A_small_payload_under_an_oversize_header_is_rejected_as_too_large()
    {
        var (account, store) = await AccountWithEntriesAsync("Network", 1);
        var (envelope, _) = store.Frame(new byte[16],
            tamper: (header, _) => header.ContentMetaData = new DareContentMeta { Labels = [new string('x', 7000)] }.ToJson());

        var response = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [envelope])] });

        Assert.Equal(MeshStatus.TooLarge, response.Status);
        Assert.Contains("with its header and trailer, the limit is 6144", response.StatusDescription);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account, "Network"));
    }

    [Fact]
    public async Task Transact_to_an_unknown_store_is_rejected()
    {
        var (account, _) = await AccountWithEntriesAsync("Network", 1);
        var (update, _) = new DeviceStore("Recipes").Update(DeviceStore.Payload("frame 0"));

        var response = await Transact(account, new TransactRequest { Updates = [update] });

        Assert.Equal(MeshStatus.BadRequest, response.Status);
        Assert.Equal(EntryResult.Reject, Assert.Single(response.Entries!).Result);
        Assert.Contains("names store 'Recipes', which this service does not keep", response.StatusDescription);
        Assert.Equal(1, await StoreTable.TotalEntriesAsync(server.DataSource, account));
    }

    [Fact]
    public async Task Transact_over_two_stores_with_one_bad_update_applies_neither()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var (good, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"), DeviceStore.Payload("a"));
        var task = new DeviceStore("Task");
        var (bad, _) = task.Frame(DeviceStore.Payload("frame 0"), tamper: (_, trailer) => trailer.ApexDigest![0] ^= 1);

        var response = await Transact(account, new TransactRequest { Updates = [good, task.Expecting(task.Frontier, [bad])] });

        Assert.Equal(MeshStatus.BadRequest, response.Status);
        Assert.Equal([null, null, EntryResult.Reject], response.Entries!.Select(e => e.Result));
        Assert.All(response.Entries!, e => Assert.Null(e.IndexContainer));
        Assert.Contains("entry 2", response.StatusDescription);
        Assert.Equal(0, await StoreTable.TotalEntriesAsync(server.DataSource, account));
        var (count, _, apex) = await StoreTable.StoreAsync(server.DataSource, account, "Bookmark");
        Assert.Equal(0, count);
        Assert.Null(apex);
    }

    [Fact]
    public async Task Transact_over_two_stores_applies_both_in_one_step()
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var (bookmark, _) = new DeviceStore("Bookmark").Update(DeviceStore.Payload("frame 0"), DeviceStore.Payload("a"));
        var (task, _) = new DeviceStore("Task").Update(DeviceStore.Payload("frame 0"));

        var response = await Transact(account, new TransactRequest { Updates = [bookmark, task] });

        Assert.Equal(MeshStatus.Success, response.Status);
        Assert.Equal([0L, 1L, 0L], response.Entries!.Select(e => e.IndexContainer!.Value));
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Bookmark");
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Task");
    }

    [Fact]
    public async Task Signed_apex_by_a_listed_key_is_accepted_and_by_another_key_rejected()
    {
        var account = SyncCalls.NewAccount();
        using var adminKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        using var otherKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        await server.Client.CreateAccountAsync(account, new ApexKey { Algorithm = MeshAlgorithms.Ed25519, PublicKey = Google.Protobuf.ByteString.CopyFrom(adminKey.PublicKey) });
        var store = new DeviceStore("Bookmark");
        var (signed, after) = store.Frame(DeviceStore.Payload("frame 0"), apexSigner: DareKeyPairs.Signer(adminKey));

        var accepted = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [signed])] });
        store.Commit(after);
        var (forged, _) = store.Frame(DeviceStore.Payload("entry"), apexSigner: DareKeyPairs.Signer(otherKey));
        var rejected = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [forged])] });
        var (badSignature, _) = store.Frame(DeviceStore.Payload("entry"), apexSigner: DareKeyPairs.Signer(adminKey),
            tamper: (_, trailer) => trailer.SequenceSignatures![0].SignatureValue![0] ^= 1);
        var invalid = await Transact(account, new TransactRequest { Updates = [store.Expecting(store.Frontier, [badSignature])] });

        Assert.Equal(MeshStatus.Success, accepted.Status);
        Assert.Equal(EntryResult.Reject, Assert.Single(rejected.Entries!).Result);
        Assert.Contains("a key the account does not list", rejected.StatusDescription);
        Assert.Equal(EntryResult.Reject, Assert.Single(invalid.Entries!).Result);
        Assert.Contains("does not verify", invalid.StatusDescription);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account, "Bookmark"));
    }

    [Fact]
    public async Task Stores_created_again_with_another_key_check_apexes_against_the_new_key_only()
    {
        var account = SyncCalls.NewAccount();
        using var firstKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        using var secondKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        ApexKey Listed(SignatureKeyPair key) => new() { Algorithm = MeshAlgorithms.Ed25519, PublicKey = Google.Protobuf.ByteString.CopyFrom(key.PublicKey) };
        await server.Client.CreateAccountAsync(account, Listed(firstKey));
        var first = new DeviceStore("Bookmark");
        var (signedFirst, _) = first.Frame(DeviceStore.Payload("frame 0"), apexSigner: DareKeyPairs.Signer(firstKey));
        var acceptedBefore = await Transact(account, new TransactRequest { Updates = [first.Expecting(first.Frontier, [signedFirst])] });

        // The service has used (and may keep) the first key's verifier; the stores go and come back with the second key.
        await server.Client.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account });
        await server.Client.CreateAccountAsync(account, Listed(secondKey));
        var second = new DeviceStore("Bookmark");
        var (signedOld, _) = second.Frame(DeviceStore.Payload("frame 0"), apexSigner: DareKeyPairs.Signer(firstKey));
        var refused = await Transact(account, new TransactRequest { Updates = [second.Expecting(second.Frontier, [signedOld])] });
        var (signedNew, _) = second.Frame(DeviceStore.Payload("frame 0"), apexSigner: DareKeyPairs.Signer(secondKey));
        var accepted = await Transact(account, new TransactRequest { Updates = [second.Expecting(second.Frontier, [signedNew])] });

        Assert.Equal(MeshStatus.Success, acceptedBefore.Status);
        Assert.Equal(EntryResult.Reject, Assert.Single(refused.Entries!).Result);
        Assert.Contains("a key the account does not list", refused.StatusDescription);
        Assert.Equal(MeshStatus.Success, accepted.Status);
        Assert.Single(await StoreTable.EntriesAsync(server.DataSource, account, "Bookmark"));
    }

    [Fact]
    public async Task Inbound_and_Local_messages_are_framed_by_the_service_at_the_end_of_the_spool()
    {
        var (account, _) = await AccountWithEntriesAsync("Inbound", 2);
        var message = new DeviceStore("message").Frame(DeviceStore.Payload("mark message 1 as read")).Envelope;
        var plain = new Enveloped { Header = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone(), Payload = DeviceStore.Payload("activation") };

        var response = await Transact(account, new TransactRequest { Inbound = [message], Local = [plain] });

        Assert.Equal(MeshStatus.Success, response.Status);
        Assert.Equal([2L, 0L], response.Entries!.Select(e => e.IndexContainer!.Value));
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Inbound");
        await StoreTable.AssertConsistentAsync(server.DataSource, account, "Local");
        var stored = EnvelopeCodec.FromBytes((await StoreTable.EntriesAsync(server.DataSource, account, "Local"))[0].Envelope);
        var header = DareHeader.Read(stored.Header);
        Assert.Equal(0, header.SequenceInfo!.Index);
        Assert.NotNull(header.Received);
        Assert.Equal(DeviceStore.Payload("activation"), stored.Payload);
    }

    [Fact]
    public async Task Outbound_messages_are_refused_by_Transact()
    {
        var (account, _) = await AccountWithEntriesAsync("Outbound", 1);
        var message = new DeviceStore("message").Frame(DeviceStore.Payload("hello bob")).Envelope;

        var response = await Transact(account, new TransactRequest { Outbound = [message] });

        Assert.Equal(MeshStatus.BadRequest, response.Status);
        Assert.Contains("Post", response.StatusDescription);
        Assert.Equal(1, await StoreTable.TotalEntriesAsync(server.DataSource, account));
    }

    [Fact]
    public async Task Entries_cannot_be_changed_once_written()
    {
        var (account, _) = await AccountWithEntriesAsync("Device", 1);

        await using var command = server.DataSource.CreateCommand(
            "UPDATE sync.entry SET envelope = '\\x00' WHERE store_id = (SELECT store_id FROM sync.store WHERE account = @account AND name = 'Device')");
        command.Parameters.AddWithValue("account", account);
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", error.MessageText);
    }
}
