using Mesh.Client.Sync;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Mesh.EndToEnd.Tests.Support;
using Npgsql;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// Issue 3's user flow through the gateway over HTTPS, with meshman as the user runs it: create an
/// account at the service, save a password, read it on a copy of the device after a sync; in JSON
/// and in JSON-B.
/// </summary>
public sealed class AccountSyncTests(ProcessStack stack) : MeshmanDevices(stack), IClassFixture<ProcessStack>
{
    static string NewAddress() => NewAddress("alice");

    [Theory]
    [InlineData("json")]
    [InlineData("json-b")]
    public void A_password_saved_on_one_device_is_printed_by_a_copy_of_the_device_after_sync(string encoding)
    {
        var address = NewAddress();
        var first = Device(encoding);

        var created = Ok(first.Run("account", "create", address, "--service", Stack.Endpoint.ToString()));
        var udf = Assert.Single(created, l => l.StartsWith("UDF=", StringComparison.Ordinal))["UDF=".Length..];
        Assert.Matches("^[A-Z2-7]{4}(-[A-Z2-7]{4})+$", udf);
        Assert.Contains($"Bound at {Stack.Endpoint}", created);

        var second = Copy(first);
        Ok(first.Run("password", "add", "ftp.example.com", "alice1", "secret"));
        Ok(second.Run("account", "sync"));

        Assert.Equal(["alice1@ftp.example.com = [secret]"], Ok(second.Run("password", "get", "ftp.example.com")));
        var status = Ok(second.Run("account", "status"));
        Assert.Contains($"UDF={udf}", status);
        // The service found this device's own entry in the Device catalog (Status, §7.3.1).
        Assert.Contains("Device entry at the service: yes", status);
        Assert.Contains(status, l => l.StartsWith("Credential:", StringComparison.Ordinal) && l.EndsWith("in step", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("json-b")]
    public void Two_copies_writing_the_same_store_conflict_and_both_entries_land_once(string encoding)
    {
        var first = Device(encoding);
        Ok(first.Run("account", "create", NewAddress(), "--service", Stack.Endpoint.ToString()));
        var racing = new InterleavingConnector(Connector(encoding));
        var second = Copy(first, racing);

        // The copy has read Status and is about to upload when the first device writes the same
        // store: the copy's Transact names a stale index and apex, so the service answers Conflict.
        racing.Once(r => r is TransactRequest, () => Ok(first.Run("password", "add", "ftp.example.com", "alice1", "one")));
        var saved = Ok(second.Run("password", "add", "www.example.com", "alice2", "two"));
        Assert.True(saved.Any(l => l.EndsWith("1 conflict resolved", StringComparison.Ordinal)), string.Join(" | ", saved));
        Ok(first.Run("account", "sync"));

        var expected = new[] { "alice1@ftp.example.com = [one]", "alice2@www.example.com = [two]" };
        Assert.Equal(expected, Ok(first.Run("password", "list")).Order());
        Assert.Equal(expected, Ok(second.Run("password", "list")).Order());
    }

    [Fact]
    public async Task The_service_database_holds_no_plaintext_of_a_password_synced_through_the_gateway()
    {
        var device = Device("json");
        var address = NewAddress();
        var secret = "plaintext-" + Guid.NewGuid().ToString("N");
        Ok(device.Run("account", "create", address, "--service", Stack.Endpoint.ToString()));
        Ok(device.Run("password", "add", "ftp.example.com", "alice1", secret));

        await using var connection = new NpgsqlConnection(Stack.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT s.name, e.envelope FROM sync.entry e JOIN sync.store s ON s.store_id = e.store_id WHERE s.account = @account", connection);
        command.Parameters.AddWithValue("account", address);
        var rows = new List<(string Store, DareEnvelope Envelope, byte[] Raw)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var raw = reader.GetFieldValue<byte[]>(1);
                rows.Add((reader.GetString(0), DareEnvelope.Decode(raw), raw));
            }
        }

        // The stored JSON carries payloads in base64url, so each payload is looked at as decoded.
        var credential = Assert.Single(rows, r => r.Store == "Credential" && r.Envelope.Payload.Length > 0);
        Assert.True(credential.Envelope.IsEncrypted, "the Credential entry is stored unencrypted");
        foreach (var (store, envelope, raw) in rows)
        {
            Assert.Equal(-1, envelope.Payload.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, raw.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
        }
    }

    [Fact]
    public void Account_delete_unbinds_at_the_service_and_a_copy_of_the_device_is_then_refused()
    {
        var first = Device("json");
        Ok(first.Run("account", "create", NewAddress(), "--service", Stack.Endpoint.ToString()));
        var second = Copy(first);

        Ok(first.Run("account", "delete"));

        var refused = second.Run("account", "sync");
        Assert.NotEqual(0, refused.Code);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("meshman:", refused.Error);
    }
}
