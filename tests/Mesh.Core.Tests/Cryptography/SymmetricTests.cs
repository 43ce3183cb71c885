using System.Security.Cryptography;
using Mesh.Core.Cryptography;

namespace Mesh.Core.Tests.Cryptography;

public class SymmetricTests
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void AES_key_wrap_RFC3394_vectors_4_1_and_4_6_are_reproduced()
    {
        // RFC 3394 §4.1: 128-bit KEK, 128-bit key data.
        var kek128 = Hex("000102030405060708090A0B0C0D0E0F");
        var data128 = Hex("00112233445566778899AABBCCDDEEFF");
        var wrapped128 = Hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
        Assert.Equal(wrapped128, AesKeyWrap.Wrap(kek128, data128));
        Assert.Equal(data128, AesKeyWrap.Unwrap(kek128, wrapped128));

        // RFC 3394 §4.6: 256-bit KEK, 256-bit key data.
        var kek = Hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
        var data = Hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
        var wrapped = Hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
        Assert.Equal(wrapped, AesKeyWrap.Wrap(kek, data));
        Assert.Equal(data, AesKeyWrap.Unwrap(kek, wrapped));
    }

    [Fact]
    public void Key_unwrap_with_the_wrong_KEK_or_altered_data_is_refused()
    {
        var kek = RandomNumberGenerator.GetBytes(32);
        var wrapped = AesKeyWrap.Wrap(kek, RandomNumberGenerator.GetBytes(32));
        Assert.Throws<MeshCryptoException>(() => AesKeyWrap.Unwrap(RandomNumberGenerator.GetBytes(32), wrapped));
        wrapped[10] ^= 0x40;
        Assert.Throws<MeshCryptoException>(() => AesKeyWrap.Unwrap(kek, wrapped));
        Assert.Throws<MeshCryptoException>(() => AesKeyWrap.Wrap(new byte[20], new byte[16]));
        Assert.Throws<MeshCryptoException>(() => AesKeyWrap.Wrap(kek, new byte[12]));
        Assert.Throws<MeshCryptoException>(() => AesKeyWrap.Unwrap(kek, new byte[20]));
    }

    [Fact]
    public void AES_CBC_round_trips_with_PKCS7_padding_and_refuses_bad_input()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        var plaintext = "sixteen byte msg and more"u8.ToArray();
        var ciphertext = AesCbc.Encrypt(key, iv, plaintext);
        Assert.Equal(32, ciphertext.Length);
        Assert.Equal(plaintext, AesCbc.Decrypt(key, iv, ciphertext));
        Assert.Throws<MeshCryptoException>(() => AesCbc.Decrypt(key, iv, ciphertext.AsSpan(1)));
        Assert.Throws<MeshCryptoException>(() => AesCbc.Encrypt(new byte[16], iv, plaintext));
        Assert.Throws<MeshCryptoException>(() => AesCbc.Encrypt(key, new byte[8], plaintext));
    }

    [Fact]
    public void HMAC_verify_is_true_only_for_the_exact_MAC()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var mac = Mac.Hmac(MeshAlgorithms.HmacSha2_512, key, "data"u8);
        Assert.Equal(HMACSHA512.HashData(key, "data"u8.ToArray()), mac);
        Assert.True(Mac.Verify(MeshAlgorithms.HmacSha2_512, key, "data"u8, mac));
        Assert.False(Mac.Verify(MeshAlgorithms.HmacSha2_512, key, "data"u8, mac.AsSpan(0, 32)));
        mac[0] ^= 1;
        Assert.False(Mac.Verify(MeshAlgorithms.HmacSha2_512, key, "data"u8, mac));
        Assert.Throws<MeshCryptoException>(() => Mac.Hmac("HS384", key, "data"u8));
    }

    [Fact]
    public void Digests_by_Mesh_identifier_match_the_platform_and_unknown_ones_are_refused()
    {
        var data = "abc"u8.ToArray();
        Assert.Equal(SHA256.HashData(data), Digest.Compute(MeshAlgorithms.Sha2_256, data));
        Assert.Equal(SHA512.HashData(data), Digest.Compute(MeshAlgorithms.Sha2_512, data));
        Assert.Equal(SHA3_256.HashData(data), Digest.Compute(MeshAlgorithms.Sha3_256, data));
        Assert.Equal(SHA3_512.HashData(data), Digest.Compute(MeshAlgorithms.Sha3_512, new MemoryStream(data)));
        Assert.Throws<MeshCryptoException>(() => Digest.Compute("MD5", data));
    }

    [Fact]
    public void HKDF_extract_then_expand_equals_the_one_step_derivation()
    {
        var ikm = RandomNumberGenerator.GetBytes(32);
        var prk = Mac.HkdfExtract(MeshAlgorithms.HmacSha2_256, ikm, "salt"u8);
        var a = new byte[42];
        var b = new byte[42];
        Mac.HkdfExpand(MeshAlgorithms.HmacSha2_256, prk, a, "info"u8);
        Mac.Hkdf(MeshAlgorithms.HmacSha2_256, ikm, b, "salt"u8, "info"u8);
        Assert.Equal(a, b);
    }
}
