using Mesh.Core.Cryptography;

namespace Mesh.Core.Tests.Cryptography;

public class KeyPairTests
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Ed25519_RFC8032_test_1_key_and_signature_are_reproduced()
    {
        // RFC 8032 §7.1, TEST 1 (empty message).
        using var key = (SignatureKeyPair)KeyPair.FromPrivate("Ed25519", Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Assert.Equal(Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), key.PublicKey);
        var signature = key.Sign([]);
        Assert.Equal(Hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"), signature);
        Assert.True(((SignatureKeyPair)key.PublicOnly()).Verify([], signature));
    }

    [Fact]
    public void Ed448_RFC8032_blank_test_key_and_signature_are_reproduced()
    {
        // RFC 8032 §7.4, "-----Blank" (empty message, empty context).
        using var key = (SignatureKeyPair)KeyPair.FromPrivate("Ed448", Hex("6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b"));
        Assert.Equal(Hex("5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180"), key.PublicKey);
        var signature = key.Sign([]);
        Assert.Equal(Hex("533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"), signature);
        Assert.True(((SignatureKeyPair)key.PublicOnly()).Verify([], signature));
    }

    [Fact]
    public void X25519_RFC7748_section_6_1_agreement_is_reproduced()
    {
        using var alice = (AgreementKeyPair)KeyPair.FromPrivate("X25519", Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = (AgreementKeyPair)KeyPair.FromPrivate("X25519", Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal(Hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alice.PublicKey);
        Assert.Equal(Hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bob.PublicKey);
        var shared = Hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        Assert.Equal(shared, alice.Agree(bob.PublicKey));
        Assert.Equal(shared, bob.Agree(alice));
    }

    [Fact]
    public void X448_RFC7748_section_6_2_agreement_is_reproduced()
    {
        using var alice = (AgreementKeyPair)KeyPair.FromPrivate("X448", Hex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
        using var bob = (AgreementKeyPair)KeyPair.FromPrivate("X448", Hex("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"));
        Assert.Equal(Hex("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"), alice.PublicKey);
        Assert.Equal(Hex("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"), bob.PublicKey);
        var shared = Hex("07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
        Assert.Equal(shared, alice.Agree(bob.PublicKey));
        Assert.Equal(shared, bob.Agree(alice));
    }

    [Theory]
    [InlineData("Ed25519")]
    [InlineData("Ed448")]
    public void Altered_message_or_signature_is_refused(string algorithm)
    {
        using var key = (SignatureKeyPair)KeyPair.Generate(algorithm);
        var message = "pay bob 10"u8.ToArray();
        var signature = key.Sign(message);
        Assert.True(key.Verify(message, signature));
        Assert.False(key.Verify("pay bob 99"u8, signature));
        signature[5] ^= 1;
        Assert.False(key.Verify(message, signature));
        Assert.False(key.Verify(message, signature.AsSpan(1)));
        using var other = (SignatureKeyPair)KeyPair.Generate(algorithm);
        Assert.False(other.Verify(message, key.Sign(message)));
    }

    [Theory]
    [InlineData("X25519")]
    [InlineData("X448")]
    public void Generated_agreement_keys_reach_the_same_secret(string algorithm)
    {
        using var a = (AgreementKeyPair)KeyPair.Generate(algorithm);
        using var b = (AgreementKeyPair)KeyPair.Generate(algorithm);
        Assert.Equal(a.Agree(b), b.Agree(a));
    }

    [Theory]
    [InlineData("Ed25519", 31)]
    [InlineData("Ed448", 56)]
    [InlineData("X25519", 33)]
    [InlineData("X448", 57)]
    public void Wrong_length_private_key_is_refused(string algorithm, int length)
    {
        var error = Assert.Throws<MeshCryptoException>(() => KeyPair.FromPrivate(algorithm, new byte[length]));
        Assert.Contains($"got {length}", error.Message);
    }

    [Theory]
    [InlineData("Ed25519", 33)]
    [InlineData("Ed448", 32)]
    [InlineData("X25519", 0)]
    [InlineData("X448", 57)]
    public void Wrong_length_public_key_is_refused(string algorithm, int length)
    {
        Assert.Throws<MeshCryptoException>(() => KeyPair.FromPublic(algorithm, new byte[length]));
    }

    [Fact]
    public void Agreement_with_a_wrong_length_or_low_order_peer_key_is_refused()
    {
        using var key = (AgreementKeyPair)KeyPair.Generate("X25519");
        Assert.Throws<MeshCryptoException>(() => key.Agree(new byte[31]));
        Assert.Throws<MeshCryptoException>(() => key.Agree(new byte[32]));   // u = 0 is of low order
        using var x448 = (AgreementKeyPair)KeyPair.Generate("X448");
        Assert.Throws<MeshCryptoException>(() => x448.Agree(new byte[56]));
        Assert.Throws<MeshCryptoException>(() => x448.Agree(key));
    }

    [Fact]
    public void Public_only_key_cannot_sign_and_disposed_key_cannot_be_used()
    {
        using var key = (SignatureKeyPair)KeyPair.Generate("ed25519");
        var publicOnly = (SignatureKeyPair)key.PublicOnly();
        Assert.False(publicOnly.HasPrivate);
        Assert.Throws<MeshCryptoException>(() => publicOnly.Sign("x"u8));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign("x"u8));
    }

    [Fact]
    public void Unknown_algorithm_names_the_accepted_ones()
    {
        var error = Assert.Throws<MeshCryptoException>(() => KeyPair.Generate("P256"));
        Assert.Contains("Ed25519, Ed448, X25519 or X448", error.Message);
    }
}
