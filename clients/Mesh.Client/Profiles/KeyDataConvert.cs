using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Mesh.Client.Profiles;

/// <summary>KeyData (the schema's key description) to and from <see cref="KeyPair"/>.</summary>
public static class KeyDataConvert
{
    /// <summary>The public description of <paramref name="key"/>: its UDF and PublicKeyECDH.</summary>
    public static KeyData Public(KeyPair key) => new()
    {
        Udf = Udf.KeyFingerprint(key),
        PublicParameters = new PublicKeyECDH { Curve = key.Algorithm, Public = key.PublicKey.ToArray() },
    };

    /// <summary>As <see cref="Public"/> plus PrivateKeyECDH; only ever written inside encrypted envelopes.</summary>
    public static KeyData WithPrivate(KeyPair key)
    {
        var data = Public(key);
        data.PrivateParameters = new PrivateKeyECDH { Curve = key.Algorithm, Private = key.ExportPrivate() };
        return data;
    }

    /// <summary>The key a KeyData describes; checks the UDF it claims against the key it carries.</summary>
    public static KeyPair ToKeyPair(KeyData data, string what)
    {
        if (data.PublicParameters is not PublicKeyECDH { Curve: { } curve, Public: { } publicKey })
            throw new MeshFormatException($"{what} has no PublicParameters.PublicKeyECDH");
        KeyPair key = data.PrivateParameters is PrivateKeyECDH { Private: { } privateKey }
            ? KeyPair.FromPrivate(curve, privateKey)
            : KeyPair.FromPublic(curve, publicKey);
        if (!key.PublicKey.AsSpan().SequenceEqual(publicKey))
        {
            var made = key.PublicKey.Length;
            key.Dispose();
            throw new MeshCryptoException($"{what}: the private key does not give the public key ({publicKey.Length}-byte {curve} public key given, the private key makes a {made}-byte one)");
        }
        if (data.Udf is not null && !Udf.MatchesContent(data.Udf, PublicKeyInfo.Encode(key), UdfContentTypes.KeyInfo))
        {
            key.Dispose();
            throw new MeshCryptoException($"{what}: Udf {data.Udf} is not the fingerprint of the key");
        }
        return key;
    }

    public static SignatureKeyPair ToSignatureKey(KeyData? data, string what) =>
        (data is null ? throw new MeshFormatException($"{what} is missing") : ToKeyPair(data, what)) as SignatureKeyPair
        ?? throw new MeshCryptoException($"{what} is not a signature key");

    public static AgreementKeyPair ToAgreementKey(KeyData? data, string what) =>
        (data is null ? throw new MeshFormatException($"{what} is missing") : ToKeyPair(data, what)) as AgreementKeyPair
        ?? throw new MeshCryptoException($"{what} is not an encryption key");
}
