using Mesh.Client.Sync;
using Mesh.Core.Schema;
using Mesh.EndToEnd.Tests.Support;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// Bad input through the gateway, as meshman meets it: a clear one-line error, nothing changed at
/// the service, nothing lost on the device (issue 3, "Bad input").
/// </summary>
public sealed class BadInputTests(ProcessStack stack) : MeshmanDevices(stack), IClassFixture<ProcessStack>
{
    MeshmanSession Device() => Device("json");

    static string NewAddress() => NewAddress("bob");

    [Fact]
    public void An_address_in_a_domain_the_service_does_not_serve_is_refused_and_nothing_is_kept()
    {
        var device = Device();
        var error = OneLineError(device.Run("account", "create", "alice@elsewhere.org", "--service", Stack.Endpoint.ToString()));
        Assert.Contains("does not serve the domain 'elsewhere.org'", error);
        Assert.Empty(Ok(device.Run("account", "list")));
    }

    [Fact]
    public void An_address_whose_name_breaks_the_length_policy_is_refused()
    {
        var error = OneLineError(Device().Run("account", "create", new string('a', 65) + "@example.com", "--service", Stack.Endpoint.ToString()));
        Assert.Contains("the limit is 64", error);
    }

    [Fact]
    public void Binding_an_address_another_account_holds_is_a_conflict_and_the_first_account_keeps_it()
    {
        var address = NewAddress();
        var first = Device();
        Ok(first.Run("account", "create", address, "--service", Stack.Endpoint.ToString()));
        Ok(first.Run("password", "add", "ftp.example.com", "bob", "first"));

        var error = OneLineError(Device().Run("account", "create", address, "--service", Stack.Endpoint.ToString()));
        Assert.Contains("already bound to another account", error);

        Ok(first.Run("account", "sync"));
        Assert.Equal(["bob@ftp.example.com = [first]"], Ok(first.Run("password", "get", "ftp.example.com")));
    }

    [Fact]
    public void An_entry_altered_on_its_way_is_rejected_stays_pending_on_the_device_and_goes_up_untouched_later()
    {
        var tampering = new InterleavingConnector(Connector());
        var device = Device(tampering);
        Ok(device.Run("account", "create", NewAddress(), "--service", Stack.Endpoint.ToString()));
        var before = Ok(device.Run("account", "status"));

        // One byte of the credential's encrypted payload changes after the device framed it: its
        // PayloadDigest and the apex no longer match, so the service rejects the whole Transact.
        tampering.Once(r => r is TransactRequest, request =>
        {
            var update = ((TransactRequest)request).Updates!.Single(u => u.Container == "Credential");
            var last = update.Envelopes![^1];
            var payload = last.Payload!.ToArray();
            payload[^1] ^= 1;
            update.Envelopes[^1] = new Enveloped { Header = last.Header, Payload = payload, Trailer = last.Trailer };
        });
        OneLineError(device.Run("password", "add", "ftp.example.com", "bob", "secret"));

        // Nothing changed at the service; the entry waits on the device.
        var after = Ok(device.Run("account", "status"));
        Assert.Equal(Line(before, "Credential:"), Line(after, "Credential:").Replace("1 pending", "0 pending", StringComparison.Ordinal));
        Assert.Contains("1 pending", Line(after, "Credential:"));

        Ok(device.Run("account", "sync"));
        Assert.Equal(["bob@ftp.example.com = [secret]"], Ok(device.Run("password", "get", "ftp.example.com")));
        Assert.Contains("0 pending", Line(Ok(device.Run("account", "status")), "Credential:"));
    }

    [Fact]
    public void A_Transact_to_a_store_the_account_does_not_have_is_refused_and_the_entry_stays_pending()
    {
        var renaming = new InterleavingConnector(Connector());
        var device = Device(renaming);
        Ok(device.Run("account", "create", NewAddress(), "--service", Stack.Endpoint.ToString()));

        renaming.Once(r => r is TransactRequest, request =>
            ((TransactRequest)request).Updates!.Single(u => u.Container == "Credential").Container = "NoSuchStore");
        var error = OneLineError(device.Run("password", "add", "ftp.example.com", "bob", "secret"));
        Assert.True(error.Contains("NoSuchStore", StringComparison.Ordinal), error);

        Assert.Contains("1 pending", Line(Ok(device.Run("account", "status")), "Credential:"));
        Ok(device.Run("account", "sync"));
        Assert.Contains("0 pending", Line(Ok(device.Run("account", "status")), "Credential:"));
    }

    [Fact]
    public void A_password_larger_than_the_service_takes_is_refused_at_once_and_later_entries_still_go_up()
    {
        var device = Device();
        Ok(device.Run("account", "create", NewAddress(), "--service", Stack.Endpoint.ToString()));

        var error = OneLineError(device.Run("password", "add", "ftp.example.com", "bob", new string('x', 70_000)));
        Assert.Contains("takes at most 65536", error);

        Ok(device.Run("password", "add", "www.example.com", "bob", "small"));
        Assert.Contains("0 pending", Line(Ok(device.Run("account", "status")), "Credential:"));
        Assert.Equal(["bob@www.example.com = [small]"], Ok(device.Run("password", "list")));
    }

}
