namespace Mesh.Core.Dare;

/// <summary>Signs a DARE digest (pure EdDSA over the 64 digest octets).</summary>
public interface IDareSigner
{
    /// <summary>UDF key fingerprint written as the signature's kid.</summary>
    string KeyIdentifier { get; }

    /// <summary>ED25519 or ED448.</summary>
    string Algorithm { get; }

    byte[] Sign(ReadOnlySpan<byte> digest);
}

/// <summary>Checks a signature made by one public key.</summary>
public interface IDareVerifier
{
    string KeyIdentifier { get; }

    /// <summary>ED25519 or ED448.</summary>
    string Algorithm { get; }

    bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature);
}

/// <summary>A recipient public key: makes an ephemeral key agreement with it.</summary>
public interface IDareRecipientKey
{
    string KeyIdentifier { get; }

    /// <summary>X25519 or X448, as written in the epk's crv.</summary>
    string Curve { get; }

    /// <summary>Creates an ephemeral key on the curve and returns its public key and the shared secret.</summary>
    (byte[] EphemeralPublic, byte[] Agreement) AgreeEphemeral();
}

/// <summary>A recipient private key: completes the agreement with an envelope's ephemeral key.</summary>
public interface IDareDecryptionKey
{
    string KeyIdentifier { get; }

    byte[] Agree(string? curve, ReadOnlySpan<byte> ephemeralPublic);
}
