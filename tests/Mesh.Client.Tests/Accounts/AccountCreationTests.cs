using System.Text.Json;
using Mesh.Client.Accounts;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Tests;
using Mesh.Core.Udf;

namespace Mesh.Client.Tests.Accounts;

public sealed class AccountCreationTests : IDisposable
{
    readonly TempHome temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Account_profile_is_self_signed_under_its_ProfileSignature_key()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        var check = DareSelfSigned.Verify(account.ProfileUserEnvelope);
        Assert.True(check.IsValid, check.Problem);
        Assert.Equal(account.ProfileUdf, Assert.Single(account.ProfileUserEnvelope.Signatures).KeyIdentifier);
        var profile = MeshJson.Deserialize<ProfileUser>(account.ProfileUserEnvelope.Payload);
        Assert.Equal("alice@example.com", profile.AccountAddress);
    }

    [Fact]
    public void Device_profile_is_self_signed_and_its_UDF_is_the_profile_signature_fingerprint()
    {
        using var home = temp.Open();
        Assert.True(DareSelfSigned.Verify(home.DeviceProfile).IsValid);
        var device = MeshJson.Deserialize<ProfileDevice>(home.DeviceProfile.Payload);
        Assert.Equal(home.DeviceUdf, device.ProfileSignature!.Udf);
        Assert.Equal(Udf.KeyFingerprint(home.DeviceKeys.ProfileSignature), home.DeviceUdf);
    }

    [Fact]
    public void A_changed_profile_payload_no_longer_verifies()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        var json = account.ProfileUserEnvelope.ToJson();
        var altered = DareEnvelope.Decode(json);
        var payload = altered.Payload.ToArray();
        var at = Array.IndexOf(payload, (byte)'a');
        payload[at] = (byte)'b';
        var forged = new DareEnvelope(altered.Header, payload, altered.Trailer);
        Assert.False(DareSelfSigned.Verify(forged).IsValid);
    }

    [Fact]
    public void Recreating_the_account_from_its_exported_seed_gives_the_same_keys_and_UDFs()
    {
        using var other = new TempHome();
        using var homeA = temp.Open();
        using var homeB = other.Open();
        using var original = homeA.CreateAccount("alice@example.com");
        var seed = original.ExportSeed();
        Assert.Equal(UdfKind.DerivedKey, Udf.Parse(seed).Kind);
        using var recovered = homeB.CreateAccount("alice@example.com", recoverySeed: seed);

        Assert.Equal(original.ProfileUdf, recovered.ProfileUdf);
        string?[] Udfs(ProfileUser p) => [p.ProfileSignature?.Udf, p.AdministratorSignature?.Udf, p.CommonEncryption?.Udf,
            p.CommonAuthentication?.Udf, p.CommonSignature?.Udf, p.EscrowEncryption?.Udf];
        Assert.Equal(Udfs(original.Profile), Udfs(recovered.Profile));
        Assert.All(Udfs(original.Profile), Assert.NotNull);
        Assert.Equal(6, Udfs(original.Profile).Distinct().Count());
        Assert.NotEqual(homeA.DeviceUdf, homeB.DeviceUdf);
    }

    [Fact]
    public void Profile_keys_are_the_UDF_derivations_of_the_seed_under_the_reference_key_names()
    {
        using var keys = ProfileKeySet.Generate(MeshActor.Account);
        using var expected = UdfKeyDerivation.DeriveKey(keys.Seed, UdfKeyAlgorithm.Ed448, "Complete_Account_AdminSign");
        Assert.Equal(expected.PublicKey, keys.Signature(MeshKeyOperation.AdminSign).PublicKey);
        using var encryption = UdfKeyDerivation.DeriveKey(keys.Seed, UdfKeyAlgorithm.X448, "Complete_Account_Encrypt");
        Assert.Equal(encryption.PublicKey, keys.Agreement(MeshKeyOperation.Encrypt).PublicKey);
        Assert.Equal(UdfKeyAlgorithm.MeshProfileAccount, UdfKeyDerivation.Specifier(keys.Seed).Algorithm);
    }

    [Fact]
    public void A_device_seed_is_refused_as_an_account_recovery_seed()
    {
        using var home = temp.Open();
        var deviceSeed = home.DeviceKeys.Seed;
        var error = Assert.Throws<MeshClientException>(() => home.CreateAccount("alice@example.com", recoverySeed: deviceSeed));
        Assert.Contains("MeshProfileDevice", error.Message);
        Assert.Empty(home.Accounts);
    }

    [Fact]
    public void Connections_are_signed_by_the_administrator_key_and_name_the_device_keys()
    {
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        var device = Assert.Single(account.Devices);
        var envelope = Assertions.FromEnveloped(device.EnvelopedConnectionDevice!, "connection");
        using var admin = KeyDataConvert.ToSignatureKey(account.Profile.AdministratorSignature, "admin");
        Assertions.RequireSignedBy(envelope, admin, "ConnectionDevice");
        Assert.Throws<MeshCryptoException>(() => Assertions.RequireSignedBy(envelope, home.DeviceKeys.ProfileSignature, "ConnectionDevice"));
        var connection = Assertions.Open<ConnectionDevice>(envelope);
        Assert.Equal(account.ProfileUdf, connection.AuthorityUdf);
        Assert.Equal(home.DeviceUdf, connection.SubjectUdf);
        Assert.Equal(Udf.KeyFingerprint(home.DeviceKeys.Signature(MeshKeyOperation.Sign)), connection.Signature!.Udf);
        Assert.Equal(home.DeviceUdf, device.DeviceUdf);
        Assert.True(DareSelfSigned.Verify(Assertions.FromEnveloped(device.EnvelopedProfileDevice!, "device")).IsValid);
    }

    [Fact]
    public void The_activation_is_encrypted_to_the_device_and_opens_only_with_its_key()
    {
        using var other = new TempHome();
        using var home = temp.Open();
        using var stranger = other.Open();
        using var account = home.CreateAccount("alice@example.com");
        var envelope = Assertions.FromEnveloped(Assert.Single(account.Devices).EnvelopedActivationAccount!, "activation");
        Assert.True(envelope.IsEncrypted);
        Assert.Throws<MeshCryptoException>(() => Assertions.Open<ActivationAccount>(envelope, stranger.DeviceKeys.Agreement(MeshKeyOperation.Encrypt)));
        var activation = Assertions.Open<ActivationAccount>(envelope, home.DeviceKeys.Agreement(MeshKeyOperation.Encrypt));
        Assert.Equal(account.ProfileUdf, activation.AccountUdf);
        Assert.IsType<PrivateKeyECDH>(activation.AccountEncryption!.PrivateParameters);
    }

    [Fact]
    public void Reopening_the_home_finds_the_same_device_and_account()
    {
        string profileUdf, deviceUdf;
        using (var home = temp.Open())
        using (var account = home.CreateAccount("Alice@Example.com"))
        {
            profileUdf = account.ProfileUdf;
            deviceUdf = home.DeviceUdf;
        }
        using var again = temp.Open();
        Assert.Equal(deviceUdf, again.DeviceUdf);
        Assert.Equal(["alice@example.com"], again.Accounts);
        using var reopened = again.OpenAccount("alice@example.com");
        Assert.Equal(profileUdf, reopened.ProfileUdf);
    }

    [Fact]
    public void Creating_an_account_twice_or_with_a_bad_address_is_refused()
    {
        using var home = temp.Open();
        home.CreateAccount("alice@example.com").Dispose();
        Assert.Contains("already exists", Assert.Throws<MeshClientException>(() => home.CreateAccount("alice@example.com")).Message);
        Assert.Contains("not an account address", Assert.Throws<MeshClientException>(() => home.CreateAccount("alice")).Message);
        Assert.Contains("'/'", Assert.Throws<MeshClientException>(() => home.CreateAccount("../x@example.com/..")).Message);
        Assert.Contains("no account", Assert.Throws<MeshClientException>(() => home.OpenAccount("bob@example.com")).Message);
    }

    /// <summary>SchemaAliceProfile.md: the ProfileUser fields and key algorithms the reference prints.</summary>
    [Fact]
    public void Profile_has_every_key_field_of_SchemaAliceProfile_with_the_same_algorithm()
    {
        var vector = JsonDocument.Parse(DareSelfSignedTestText.FirstJsonBlock(SharedFiles.Vector("SchemaAliceProfile.md"))).RootElement.GetProperty("ProfileUser");
        using var home = temp.Open();
        using var account = home.CreateAccount("alice@example.com");
        var ours = JsonDocument.Parse(account.ProfileUserEnvelope.Payload).RootElement.GetProperty("ProfileUser");
        foreach (var field in vector.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Object))
        {
            var curve = field.Value.GetProperty("PublicParameters").GetProperty("PublicKeyECDH").GetProperty("crv").GetString();
            Assert.Equal(curve, ours.GetProperty(field.Name).GetProperty("PublicParameters").GetProperty("PublicKeyECDH").GetProperty("crv").GetString());
        }
        Assert.Equal(vector.GetProperty("AccountAddress").GetString(), ours.GetProperty("AccountAddress").GetString());
    }
}

/// <summary>Reads the first ~~~~ JSON block of a vector file, joining the reference's wrapped strings.</summary>
internal static class DareSelfSignedTestText
{
    public static string FirstJsonBlock(string path) => JsonBlocks(path).First();

    public static IEnumerable<string> JsonBlocks(string path)
    {
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "~~~~" || i + 1 >= lines.Length || !lines[i + 1].TrimStart().StartsWith('{')) continue;
            var block = new System.Text.StringBuilder();
            for (i++; i < lines.Length && lines[i].Trim() != "~~~~"; i++)
            {
                // A wrapped base64 value continues on a line indented by two spaces inside the string.
                var line = lines[i];
                if (block.Length > 0 && InString(block)) block.Append(line.Trim());
                else block.Append('\n').Append(line);
            }
            yield return block.ToString();
        }
    }

    static bool InString(System.Text.StringBuilder text)
    {
        var inside = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') inside = !inside;
        }
        return inside;
    }
}
