using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Udf;
using UdfApi = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Udf;

/// <summary>Content digest and authenticator vectors (draft-hallambaker-mesh-udf examples).</summary>
public class UdfDigestVectorTests
{
    // The input of UDFDigest / UDFDigestURI / UDFDigestLocator / UDFAuthenticator is not printed in
    // those files: the reference example generator (ExampleGenerator PlatformUDF,
    // TestStringValue = "UDF Content Data", written to a file and hashed with "hash udf") made them.
    const string ExampleContent = "UDF Content Data";

    static string Sha2OfExample() => UdfApi.ContentDigest(Encoding.UTF8.GetBytes(ExampleContent), UdfContentTypes.TextPlain);

    [Fact]
    public void UDFDigest_SHA2_and_SHA3_fingerprints_of_the_example_content_are_reproduced()
    {
        var vector = new VectorText("UDFDigest.md");
        var data = Encoding.UTF8.GetBytes(ExampleContent);
        Assert.Equal(vector.Value("SHA-2-512:"), UdfApi.ContentDigest(data, UdfContentTypes.TextPlain));
        Assert.Equal(vector.Value("SHA-3-512:"), UdfApi.ContentDigest(data, UdfContentTypes.TextPlain, algorithm: UdfDigestAlgorithm.Sha3_512));
    }

    [Fact]
    public void UDFDigestURI_name_form_is_the_scheme_and_the_digest()
    {
        var printed = new VectorText("UDFDigestURI.md").Udfs();
        var uriLine = new VectorText("UDFDigestURI.md").Text.Split('\n').Single(l => l.StartsWith("udf:"));
        Assert.Equal(uriLine.Trim(), UdfUri.Name(Sha2OfExample()).ToString());
        Assert.Equal(printed.Single(), UdfUri.Parse(uriLine).Value);
    }

    [Fact]
    public void UDFDigestLocator_locator_form_names_the_domain_and_the_digest()
    {
        var line = new VectorText("UDFDigestLocator.md").Text.Split('\n').Single(l => l.StartsWith("udf://"));
        Assert.Equal(line.Trim(), UdfUri.Locator("example.com", Sha2OfExample()).ToString());
        var parsed = UdfUri.Parse(line);
        Assert.Equal("example.com", parsed.Domain);
        Assert.Equal(UdfKind.ContentDigest, UdfApi.Parse(parsed.Value).Kind);
    }

    [Fact]
    public void UDFDigestLong_SHA2_steps_and_every_precision_are_reproduced()
    {
        var vector = new VectorText("UDFDigestLong.md");
        var data = vector.Hex("Data =");
        var contentType = Encoding.UTF8.GetString(vector.Hex("ContentType ="));
        var digest = SHA512.HashData(data);
        Assert.Equal(vector.HexBlocks("H(&<Data>) =")[0], digest);
        var typed = vector.HexBlocks("&<Content-ID> + ‘:’ + H(&<Data>) =")[0];
        Assert.Equal(typed, (byte[])[.. Encoding.UTF8.GetBytes(contentType), (byte)':', .. digest]);
        Assert.Equal(vector.HexBlocks("The prefixed Binary Data Sequence is thus")[0], UdfApi.ContentDigestBinary(data, contentType));

        var fingerprints = vector.Values("The 125 bit fingerprint value is");
        Assert.Equal(fingerprints[0], UdfApi.ContentDigest(data, contentType));
        foreach (var bits in new[] { 100, 120, 200, 260 })
        {
            var printed = vector.Value($"<dt>{bits} bit precision").Replace("<dd>", "");
            Assert.Equal(printed, UdfApi.ContentDigest(data, contentType, bits));
        }
    }

    [Fact]
    public void UDFDigestLong_SHA3_steps_are_reproduced()
    {
        var vector = new VectorText("UDFDigestLong.md");
        var data = vector.Hex("Data =");
        var contentType = Encoding.UTF8.GetString(vector.Hex("ContentType ="));
        Assert.Equal(vector.HexBlocks("H(&<Data>) =")[1], SHA3_512.HashData(data));
        Assert.Equal(vector.HexBlocks("The prefixed Binary Data Sequence is thus")[1],
            UdfApi.ContentDigestBinary(data, contentType, UdfDigestAlgorithm.Sha3_512));
        Assert.Equal(vector.Values("The 125 bit fingerprint value is")[1],
            UdfApi.ContentDigest(data, contentType, algorithm: UdfDigestAlgorithm.Sha3_512));
    }

    [Fact]
    public void UDFDigestLong_compressed_SHA2_digest_uses_type_97()
    {
        var vector = new VectorText("UDFDigestLong.md");
        var data = vector.HexBlocks("Data =")[1];
        var contentType = Encoding.UTF8.GetString(vector.Hex("ContentType ="));
        var binary = UdfApi.ContentDigestBinary(data, contentType);
        Assert.Equal(vector.HexBlocks("The prefixed Binary Data Sequence is thus")[2], binary);
        Assert.Equal((byte)UdfTypeCode.DigestSha2_512Compressed20, binary[0]);
        Assert.Equal(vector.Values("The 125 bit fingerprint value is")[2], UdfApi.ContentDigest(data, contentType));
    }

    [Fact]
    public void UDFDigestLong_compressed_SHA3_digest_is_reproduced()
    {
        var vector = new VectorText("UDFDigestLong.md");
        var data = vector.HexBlocks("Data =")[2];
        var contentType = Encoding.UTF8.GetString(vector.Hex("ContentType ="));
        var udf = UdfApi.ContentDigest(data, contentType, algorithm: UdfDigestAlgorithm.Sha3_512);
        Assert.Equal(vector.Value("The UTF8 SHA-3-512 Content Digest is"), udf);
        Assert.Equal(UdfTypeCode.DigestSha3_512Compressed20, UdfApi.Parse(udf).Type);
    }

    [Fact]
    public void UDFAuthenticatorLong_key_derivation_MAC_and_fingerprint_are_reproduced()
    {
        var vector = new VectorText("UDFAuthenticatorLong.md");
        var data = vector.Hex("Data =");
        var contentType = Encoding.UTF8.GetString(vector.Hex("ContentType ="));
        var key = Encoding.UTF8.GetString(vector.Hex("Key ="));
        Assert.Contains($"The randomly chosen key is {key}.", vector.Text);

        Assert.Equal(vector.Hex("PRK(Key) ="), HMACSHA512.HashData("KeyedUDFMaster"u8, Encoding.UTF8.GetBytes(key)));
        var okm = new byte[64];
        UdfApi.AuthenticatorKey(key, okm);
        Assert.Equal(vector.Hex("HKDF(Key) ="), okm);
        var input = vector.Hex("&<Content-ID> + ‘:’ + H(&<Data>) =");
        Assert.Equal(vector.Hex("MAC(&<key>, &<Content-ID> + ‘:’ + H(&<Data>)) ="), HMACSHA512.HashData(okm, input));
        Assert.Equal(vector.Value("The 125 bit fingerprint value is"), UdfApi.Authenticator(data, contentType, key));
    }

    [Fact]
    public void UDFAuthenticator_is_the_example_content_keyed_with_the_example_nonce()
    {
        // The key is the nonce of UDFNonce.md (ExampleGenerator: "hash mac FILE /key NONCE").
        var nonce = new VectorText("UDFNonce.md").Udfs().Single();
        var expected = new VectorText("UDFAuthenticator.md").Value("SHA-2-512:");
        Assert.Equal(expected, UdfApi.Authenticator(Encoding.UTF8.GetBytes(ExampleContent), UdfContentTypes.TextPlain, nonce));
    }

    [Fact]
    public void UDFVariousUDF_digests_public_key_and_nonce_are_reproduced_or_decoded()
    {
        var vector = new VectorText("UDFVariousUDF.md");
        Assert.Equal(vector.Value("SHA-2 Digest:"), Sha2OfExample());
        Assert.Equal(vector.Value("SHA-3 Digest:"),
            UdfApi.ContentDigest(Encoding.UTF8.GetBytes(ExampleContent), UdfContentTypes.TextPlain, algorithm: UdfDigestAlgorithm.Sha3_512));
        Assert.Equal(UdfKind.Nonce, UdfApi.Parse(vector.Value("Nonce:")).Kind);

        var publicKey = string.Concat(vector.Udfs().Skip(4)).Replace("-", "");
        var der = new VectorText("UDFOID.md").AllHexBlocks()[1];
        Assert.Equal(publicKey, UdfApi.Oid(der).Replace("-", ""));
    }

    [Fact]
    public void ArchVariousUDF_lists_the_same_nonce_secret_share_digests_and_authenticator()
    {
        var listed = new VectorText("ArchVariousUDF.md").Udfs();
        var nonce = new VectorText("UDFNonce.md").Udfs().Single();
        var share = new VectorText("UDFShare.md");
        var data = Encoding.UTF8.GetBytes(ExampleContent);
        string[] reproduced =
        [
            nonce,
            share.Value("Key:"),
            share.Value("Share 0:"),
            UdfApi.ContentDigest(data, UdfContentTypes.TextPlain),
            UdfApi.ContentDigest(data, UdfContentTypes.TextPlain, algorithm: UdfDigestAlgorithm.Sha3_512),
            UdfApi.Authenticator(data, UdfContentTypes.TextPlain, nonce),
        ];
        Assert.Equal(reproduced, listed);
    }

    [Fact]
    public void UDFNonce_decodes_as_a_128_bit_nonce()
    {
        var value = UdfApi.Parse(new VectorText("UDFNonce.md").Udfs().Single());
        Assert.Equal(UdfTypeCode.Nonce, value.Type);
        Assert.Equal(16, value.Data.Length);
    }

    [Fact]
    public void UDFOID_KeyInfo_OID_sequence_and_fingerprint_of_the_Ed25519_key_are_reproduced()
    {
        var vector = new VectorText("UDFOID.md");
        var blocks = vector.AllHexBlocks();
        var publicKey = blocks[0];
        var der = blocks[1];
        using var key = Mesh.Core.Cryptography.KeyPair.FromPublic("Ed25519", publicKey);
        Assert.Equal(der, Mesh.Core.Cryptography.PublicKeyInfo.Encode(key));

        var udfs = vector.Udfs();
        var oid = string.Concat(udfs.Take(2)).Replace("-", "");   // printed over two lines
        Assert.Equal(oid, UdfApi.Oid(key).Replace("-", ""));
        Assert.Equal(udfs[2], UdfApi.KeyFingerprint(key));
    }
}
