using System.Text.Json;
using Mesh.Client.Profiles;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Tests;

namespace Mesh.Client.Tests.Accounts;

/// <summary>
/// The Alice vectors print no seed, so derived keys cannot be compared; the account private keys
/// printed in SchemaAliceActivationDevice2 (ActivationCommon) are checked against the public keys
/// printed beside them instead.
/// </summary>
public sealed class AliceVectorTests
{
    static ActivationCommon ActivationCommon() =>
        MeshJson.Deserialize<ActivationCommon>(System.Text.Encoding.UTF8.GetBytes(
            DareSelfSignedTestText.JsonBlocks(SharedFiles.Vector("SchemaAliceActivationDevice2.md")).Single(b => b.Contains("\"ActivationCommon\""))));

    [Fact]
    public void Alice_X448_account_private_keys_give_the_printed_public_keys_apart_from_the_reference_57th_octet()
    {
        var activation = ActivationCommon();
        var keys = new[] { activation.Encryption!, activation.Authentication! }.Concat(activation.Entries!.Select(e => e.Key!)).ToList();
        Assert.Equal(11, keys.Count);
        foreach (var data in keys)
        {
            var printed = ((PublicKeyECDH)data.PublicParameters!).Public!;
            using var key = KeyPair.FromPrivate(MeshAlgorithms.X448, ((PrivateKeyECDH)data.PrivateParameters!).Private!);
            Assert.Equal(57, printed.Length);
            Assert.Equal(printed[..56], key.PublicKey);
        }
    }

    [Fact]
    public void Reference_57_octet_X448_key_data_is_refused_with_a_clear_error()
    {
        var data = ActivationCommon().Encryption!;
        var error = Assert.ThrowsAny<MeshException>(() => KeyDataConvert.ToKeyPair(data, "Alice CommonEncryption"));
        Assert.Contains("57", error.Message);
    }

    [Fact]
    public void Alice_CatalogedCredential_example_reads_with_service_username_and_password()
    {
        var entry = MeshJson.Deserialize<CatalogedCredential>(System.Text.Encoding.UTF8.GetBytes(
            DareSelfSignedTestText.FirstJsonBlock(SharedFiles.Vector("SchemaEntryCredential.md"))));
        var printed = JsonDocument.Parse(DareSelfSignedTestText.FirstJsonBlock(SharedFiles.Vector("SchemaEntryCredential.md"))).RootElement.GetProperty("CatalogedCredential");
        Assert.Equal(printed.GetProperty("Service").GetString(), entry.Service);
        Assert.Equal(printed.GetProperty("Username").GetString(), entry.Username);
        Assert.Equal(printed.GetProperty("Password").GetString(), entry.Password);
    }
}
