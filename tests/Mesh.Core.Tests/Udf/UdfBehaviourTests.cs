using Mesh.Core.Udf;
using UdfApi = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Udf;

public class UdfBehaviourTests
{
    [Fact]
    public void Base32_round_trips_every_length_and_ignores_dashes_and_case()
    {
        for (var length = 1; length < 40; length++)
        {
            var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
            var text = Base32.Encode(data);
            Assert.Equal(data, Base32.Decode(text));
            Assert.Equal(data, Base32.Decode(text.Replace("-", "").ToLowerInvariant()));
        }
    }

    [Theory]
    [InlineData("MDDK-7N6A-727A-JZN0-STRX", '0')]
    [InlineData("MDDK 7N6A", ' ')]
    [InlineData("MDDK-1N6A", '1')]
    public void Bad_characters_are_named_in_the_error(string udf, char bad)
    {
        var error = Assert.Throws<MeshFormatException>(() => UdfApi.Parse(udf));
        Assert.Contains($"'{bad}'", error.Message);
    }

    [Fact]
    public void Digest_shorter_than_100_bits_is_a_bad_length()
    {
        var error = Assert.Throws<MeshFormatException>(() => UdfApi.Parse("MDDK-7N6A-727A-JZNO"));
        Assert.Contains("minimum", error.Message);
    }

    [Fact]
    public void Wrong_type_is_named_in_the_error()
    {
        var error = Assert.Throws<MeshFormatException>(() => UdfApi.Parse("NAC6-LTCH-TH7H-CN5H-Q7NN-G4UE-FW7Q", UdfKind.Share));
        Assert.Contains("is a nonce, expected a secret share", error.Message);
        Assert.Throws<MeshFormatException>(() => KeyShare.Parse("MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF"));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(130)]
    [InlineData(540)]
    public void Precision_outside_100_to_520_in_steps_of_20_is_refused(int bits)
    {
        Assert.Throws<MeshFormatException>(() => UdfApi.ContentDigest("x"u8, "text/plain", bits));
    }

    [Fact]
    public void Lower_precision_is_a_prefix_of_higher_precision_and_both_match_the_content()
    {
        var full = UdfApi.ContentDigest("hello"u8, "text/plain", 520);
        var brief = UdfApi.ContentDigest("hello"u8, "text/plain", 100);
        Assert.StartsWith(brief, full);
        Assert.True(UdfApi.MatchesContent(brief, "hello"u8, "text/plain"));
        Assert.True(UdfApi.MatchesContent(full.ToLowerInvariant(), "hello"u8, "text/plain"));
        Assert.False(UdfApi.MatchesContent(brief, "hello"u8, "text/html"));
        Assert.False(UdfApi.MatchesContent(brief, "hello"u8, "text/plain", minimumBits: 120));
    }

    [Fact]
    public void Compression_level_counts_trailing_zero_bits()
    {
        var digest = new byte[64];
        digest[0] = 1;
        Assert.Equal(4, UdfApi.CompressionLevel(digest));
        digest[63] = 0x10; // 4 trailing zeros
        Assert.Equal(0, UdfApi.CompressionLevel(digest));
        digest[63] = 0; digest[62] = 0; digest[61] = 0x10; // 16 + 4 = 20
        Assert.Equal(1, UdfApi.CompressionLevel(digest));
        digest[61] = 0; digest[60] = 0x40; // 24 + 6 = 30
        Assert.Equal(2, UdfApi.CompressionLevel(digest));
    }

    [Fact]
    public void Nonce_and_encryption_key_have_their_type_and_size()
    {
        Assert.StartsWith("N", UdfApi.Nonce());
        Assert.Equal(32, UdfApi.Parse(UdfApi.Nonce(256), UdfKind.Nonce).Data.Length);
        Assert.Equal(16, UdfApi.Parse(UdfApi.EncryptionKey(), UdfKind.EncryptionKey).Data.Length);
        Assert.Throws<MeshFormatException>(() => UdfApi.Nonce(100));
        Assert.NotEqual(UdfApi.Nonce(), UdfApi.Nonce());
    }

    [Fact]
    public void Random_split_recovers_from_any_threshold_subset_and_refuses_too_few_shares()
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var shares = SecretSharing.Split(secret, 3, 5).Select(s => s.ToUdf()).ToArray();
        Assert.Equal(secret, SecretSharing.Recover([shares[4], shares[0], shares[2]]));
        Assert.Equal(secret, SecretSharing.Recover(shares));
        var error = Assert.Throws<MeshCryptoException>(() => SecretSharing.Recover([shares[0], shares[1]]));
        Assert.Contains("2 shares given, 3 are needed", error.Message);
        Assert.Throws<MeshCryptoException>(() => SecretSharing.Recover([shares[0], shares[0], shares[1]]));
        Assert.Throws<MeshCryptoException>(() => SecretSharing.Split(secret, 1, 3));
        Assert.Throws<MeshCryptoException>(() => SecretSharing.Split(secret, 3, 17));
    }

    [Fact]
    public void Derived_keys_are_deterministic_and_key_names_give_different_keys()
    {
        var seed = UdfKeyDerivation.NewSeed(UdfKeyAlgorithm.Ed448);
        using var a = UdfKeyDerivation.DeriveKey(seed);
        using var b = UdfKeyDerivation.DeriveKey(seed);
        using var named = UdfKeyDerivation.DeriveKey(seed, keyName: "device");
        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, named.PublicKey);
        Assert.Throws<MeshCryptoException>(() => UdfKeyDerivation.DeriveKey(seed, UdfKeyAlgorithm.X25519));
    }

    [Theory]
    [InlineData("http://example.com/MB5S-R4AJ-3FBT-7NHO-T26Z-2E6Y-WFH4")]
    [InlineData("udf://example.com:80/MB5S-R4AJ-3FBT-7NHO-T26Z-2E6Y-WFH4")]
    [InlineData("udf://example.com")]
    [InlineData("udf:MB5S-R4AJ-3FBT-7NHO-T26Z-2E6Y-WFH4?x=1")]
    public void Malformed_UDF_URIs_are_refused(string uri)
    {
        Assert.Throws<MeshFormatException>(() => UdfUri.Parse(uri));
    }
}
