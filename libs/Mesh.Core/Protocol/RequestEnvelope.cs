using System.Security.Cryptography;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Protocol;

/// <summary>How to authenticate one request (ADR 0005): the mode and the credentials it presents.</summary>
public sealed class RequestCredentials
{
    /// <summary><see cref="RequestModes"/>.</summary>
    public required string Mode { get; init; }

    /// <summary>The audience: UDF of the service's ProfileService signature key, from Hello.</summary>
    public required string ServiceUdf { get; init; }

    /// <summary>The account address (required for Profile and Ticket).</summary>
    public string? Account { get; init; }

    /// <summary>The device's self-signed ProfileDevice (Device, Profile).</summary>
    public DareEnvelope? ProfileDevice { get; init; }

    /// <summary>The ConnectionDevice signed by the account's administration key (Profile).</summary>
    public DareEnvelope? ConnectionDevice { get; init; }

    /// <summary>The device's Signature key with its private part (Device, Profile).</summary>
    public SignatureKeyPair? SignatureKey { get; init; }

    /// <summary>The ticket of a grant (Ticket).</summary>
    public string? Ticket { get; init; }

    /// <summary>The session key of that grant (Ticket).</summary>
    public byte[]? SessionKey { get; init; }
}

/// <summary>Builds the authenticated request envelope: one signature whose Manifest is the RequestManifest.</summary>
public static class RequestEnvelope
{
    /// <param name="encryptTo">The host's Encryption key: required when the request goes over plain HTTP.</param>
    /// <param name="created">The request time; now when null.</param>
    /// <param name="envelopeId">A fresh 128-bit UDF nonce when null.</param>
    public static DareEnvelope Seal(ReadOnlySpan<byte> payload, RequestCredentials credentials, IDareRecipientKey? encryptTo = null,
        DateTime? created = null, string? envelopeId = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var id = envelopeId ?? Udf.Udf.Nonce(128);
        var carried = DareEnvelope.Encode(payload, new DareEnvelopeOptions
        {
            EnvelopeId = id,
            Recipients = encryptTo is null ? [] : [encryptTo],
            DigestAlgorithm = DareAlgorithms.Sha2_512,
        });
        var manifest = new RequestManifest
        {
            PayloadDigest = carried.Trailer!.PayloadDigest,
            EnvelopeId = id,
            Created = TruncateToSeconds(created ?? DateTime.UtcNow),
            Service = credentials.ServiceUdf,
            Mode = credentials.Mode,
        };
        switch (credentials.Mode)
        {
            case RequestModes.Device:
                manifest.Account = credentials.Account;
                manifest.EnvelopedProfileDevice = ProtocolJson.ToEnveloped(Require(credentials.ProfileDevice, "ProfileDevice"));
                break;
            case RequestModes.Profile:
                manifest.Account = Require(credentials.Account, "Account");
                manifest.EnvelopedProfileDevice = ProtocolJson.ToEnveloped(Require(credentials.ProfileDevice, "ProfileDevice"));
                manifest.EnvelopedConnectionDevice = ProtocolJson.ToEnveloped(Require(credentials.ConnectionDevice, "ConnectionDevice"));
                break;
            case RequestModes.Ticket:
                manifest.Account = Require(credentials.Account, "Account");
                break;
            default:
                throw new MeshAuthenticationException(AuthenticationProblem.WrongMode, $"'{credentials.Mode}' is not Device, Profile or Ticket");
        }
        var manifestBytes = ProtocolJson.Serialize(manifest);
        var manifestDigest = SHA512.HashData(manifestBytes);
        var signature = new DareSignature { Manifest = manifestBytes };
        if (credentials.Mode == RequestModes.Ticket)
        {
            signature.Algorithm = MeshAlgorithms.HmacSha2_512;
            signature.KeyIdentifier = Require(credentials.Ticket, "Ticket");
            signature.SignatureValue = Mac.Hmac(MeshAlgorithms.HmacSha2_512, Require(credentials.SessionKey, "SessionKey"), manifestDigest);
        }
        else
        {
            var key = Require(credentials.SignatureKey, "SignatureKey");
            var signer = DareKeyPairs.Signer(key);
            signature.Algorithm = signer.Algorithm;
            signature.KeyIdentifier = signer.KeyIdentifier;
            signature.SignatureValue = signer.Sign(manifestDigest);
        }
        var trailer = new DareTrailer { PayloadDigest = carried.Trailer.PayloadDigest, Signatures = [signature] };
        return new DareEnvelope(carried.Header, carried.Payload, trailer);
    }

    // RFC 3339 on the wire has whole seconds; the manifest is signed as written.
    static DateTime TruncateToSeconds(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    static T Require<T>(T? value, string what) where T : class =>
        value ?? throw new MeshAuthenticationException(AuthenticationProblem.WrongMode, $"{what} is required for this authentication mode");
}
