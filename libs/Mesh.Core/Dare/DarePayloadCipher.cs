using System.Security.Cryptography;
using Mesh.Core.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// Master key, salt and recipients of one encrypted envelope; derives the payload key and IV
/// (HKDF over the master key with the header Salt) and streams AES-256-CBC.
/// </summary>
internal sealed class DarePayloadCipher : IDisposable
{
    readonly byte[] masterKey;
    readonly Aes aes;

    public byte[] Salt { get; }
    public DareKeyDerivation Derivation { get; }
    public byte[] MasterKey => masterKey;

    DarePayloadCipher(byte[] masterKey, byte[] salt, DareKeyDerivation derivation)
    {
        this.masterKey = masterKey;
        Salt = salt;
        Derivation = derivation;
        aes = Aes.Create();
        aes.Key = derivation.EncryptionKey(masterKey, salt);
        aes.IV = derivation.InitializationVector(masterKey, salt);
    }

    public static DarePayloadCipher ForEncoding(DareEnvelopeOptions options, DareHeader header)
    {
        var masterKey = options.MasterKey?.ToArray() ?? RandomNumberGenerator.GetBytes(32);
        var salt = options.Salt?.ToArray() ?? RandomNumberGenerator.GetBytes(16);
        var recipients = new List<DareRecipient>();
        foreach (var recipient in options.Recipients)
        {
            var (ephemeral, agreement) = recipient.AgreeEphemeral();
            var kek = options.Derivation.WrappingKey(agreement);
            try
            {
                recipients.Add(new DareRecipient
                {
                    KeyIdentifier = recipient.KeyIdentifier,
                    EphemeralCurve = recipient.Curve,
                    EphemeralPublic = ephemeral,
                    WrappedMasterKey = AesKeyWrap.Wrap(kek, masterKey),
                });
            }
            finally
            {
                CryptographicOperations.ZeroMemory(agreement);
                CryptographicOperations.ZeroMemory(kek);
            }
        }
        header.EncryptionAlgorithm = DareAlgorithms.Aes256Cbc;
        header.Salt = salt;
        header.Recipients = recipients;
        return new DarePayloadCipher(masterKey, salt, options.Derivation);
    }

    /// <summary>Recovers the master key with whichever of <paramref name="keys"/> the header names.</summary>
    public static DarePayloadCipher ForDecoding(DareHeader header, IEnumerable<IDareDecryptionKey> keys, DareKeyDerivation derivation)
    {
        if (header.EncryptionAlgorithm != DareAlgorithms.Aes256Cbc)
            throw new MeshCryptoException($"DARE encryption algorithm '{header.EncryptionAlgorithm}' is not supported");
        if (header.Salt is null || header.Salt.Length < 16)
            throw new MeshFormatException("encrypted DARE header must carry a Salt of at least 16 bytes");
        if (header.Recipients is null || header.Recipients.Count == 0)
            throw new MeshFormatException("encrypted DARE header has no recipients");
        foreach (var key in keys)
        {
            foreach (var recipient in header.Recipients)
            {
                if (recipient.KeyIdentifier != key.KeyIdentifier) continue;
                if (recipient.EphemeralPublic is null || recipient.WrappedMasterKey is null)
                    throw new MeshFormatException($"recipient '{recipient.KeyIdentifier}' lacks epk or wmk");
                var agreement = key.Agree(recipient.EphemeralCurve, recipient.EphemeralPublic);
                var kek = derivation.WrappingKey(agreement);
                try
                {
                    var master = AesKeyWrap.Unwrap(kek, recipient.WrappedMasterKey);
                    return new DarePayloadCipher(master, header.Salt, derivation);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(agreement);
                    CryptographicOperations.ZeroMemory(kek);
                }
            }
        }
        var named = string.Join(", ", header.Recipients.Select(r => r.KeyIdentifier));
        throw new MeshCryptoException($"no decryption key for any recipient of the envelope ({named})");
    }

    public static long CiphertextLength(long plaintextLength) => (plaintextLength / 16 + 1) * 16;

    public ICryptoTransform CreateEncryptor() => aes.CreateEncryptor();

    public ICryptoTransform CreateDecryptor() => aes.CreateDecryptor();

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(masterKey);
        aes.Dispose();
    }
}
