using Mesh.Core.Cryptography;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Mesh.Core.Protocol;

/// <summary>Public keys from the schema's KeyData, each checked against the UDF it claims.</summary>
public static class ProtocolKeys
{
    public static KeyPair ToPublicKey(KeyData? data, string what)
    {
        if (data is null) throw new MeshFormatException($"{what} is missing");
        if (data.PublicParameters is not PublicKeyECDH { Curve: { } curve, Public: { } publicKey })
            throw new MeshFormatException($"{what} has no PublicParameters.PublicKeyECDH");
        var key = KeyPair.FromPublic(curve, publicKey);
        if (data.Udf is null || !Udf.Udf.MatchesContent(data.Udf, PublicKeyInfo.Encode(key), UdfContentTypes.KeyInfo))
        {
            key.Dispose();
            throw new MeshCryptoException($"{what}: Udf '{data.Udf}' is not the fingerprint of the key it carries");
        }
        return key;
    }

    public static SignatureKeyPair ToSignatureKey(KeyData? data, string what) =>
        ToPublicKey(data, what) as SignatureKeyPair ?? throw new MeshCryptoException($"{what} is not a signature key");

    public static AgreementKeyPair ToAgreementKey(KeyData? data, string what) =>
        ToPublicKey(data, what) as AgreementKeyPair ?? throw new MeshCryptoException($"{what} is not an encryption key");

    /// <summary>Same key: same curve and same public octets (UDFs are checked when the keys are read).</summary>
    public static bool SameKey(KeyData? a, KeyData? b) =>
        a?.PublicParameters is PublicKeyECDH { Curve: { } ca, Public: { } pa }
        && b?.PublicParameters is PublicKeyECDH { Curve: { } cb, Public: { } pb }
        && string.Equals(MeshAlgorithms.KeyAlgorithm(ca), MeshAlgorithms.KeyAlgorithm(cb), StringComparison.Ordinal)
        && pa.AsSpan().SequenceEqual(pb);
}
