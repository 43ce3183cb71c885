using Mesh.Core.Cryptography;
using Mesh.Core.Udf;

namespace Mesh.Core.Dare;

/// <summary>The DARE key roles played by <see cref="KeyPair"/>s; kid is the UDF key fingerprint.</summary>
public static class DareKeyPairs
{
    public static IDareSigner Signer(SignatureKeyPair key, string? keyIdentifier = null) =>
        new SignatureKey(key, keyIdentifier ?? Udf.Udf.KeyFingerprint(key));

    public static IDareVerifier Verifier(SignatureKeyPair key, string? keyIdentifier = null) =>
        new SignatureKey(key, keyIdentifier ?? Udf.Udf.KeyFingerprint(key));

    public static IDareRecipientKey Recipient(AgreementKeyPair key, string? keyIdentifier = null) =>
        new AgreementKey(key, keyIdentifier ?? Udf.Udf.KeyFingerprint(key));

    public static IDareDecryptionKey Decryption(AgreementKeyPair key, string? keyIdentifier = null) =>
        new AgreementKey(key, keyIdentifier ?? Udf.Udf.KeyFingerprint(key));

    /// <summary>DARE writes ED25519/ED448 for the signature algorithm.</summary>
    public static string SignatureAlgorithm(KeyPair key) => key.Algorithm == MeshAlgorithms.Ed448 ? DareAlgorithms.Ed448 : DareAlgorithms.Ed25519;

    sealed class SignatureKey(SignatureKeyPair key, string kid) : IDareSigner, IDareVerifier
    {
        public string KeyIdentifier => kid;
        public string Algorithm => SignatureAlgorithm(key);
        public byte[] Sign(ReadOnlySpan<byte> digest) => key.Sign(digest);
        public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) => key.Verify(digest, signature);
    }

    sealed class AgreementKey(AgreementKeyPair key, string kid) : IDareRecipientKey, IDareDecryptionKey
    {
        public string KeyIdentifier => kid;
        public string Curve => key.Algorithm;

        public (byte[] EphemeralPublic, byte[] Agreement) AgreeEphemeral()
        {
            using var ephemeral = (AgreementKeyPair)KeyPair.Generate(key.Algorithm);
            return (ephemeral.PublicKey.ToArray(), ephemeral.Agree(key.PublicKey));
        }

        public byte[] Agree(string? curve, ReadOnlySpan<byte> ephemeralPublic)
        {
            if (curve is not null && !string.Equals(curve, key.Algorithm, StringComparison.OrdinalIgnoreCase))
                throw new MeshCryptoException($"envelope ephemeral key is {curve}, the recipient key is {key.Algorithm}");
            return key.Agree(ephemeralPublic);
        }
    }
}
