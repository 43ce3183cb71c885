using System.Security.Cryptography;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Protocol;

/// <summary>
/// The answer to an authenticated request (ADR 0005): one host signature whose Manifest is a
/// ResponseManifest {PayloadDigest, RequestId, Created, TicketGrant?}, over SHA-512 of the manifest.
/// </summary>
public static class ResponseEnvelope
{
    /// <param name="encryptTo">The device's Encryption key: the response is encrypted to it over plain HTTP.</param>
    public static DareEnvelope Seal(ReadOnlySpan<byte> payload, IDareSigner host, string requestId, TicketGrant? grant = null,
        IDareRecipientKey? encryptTo = null, DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var carried = DareEnvelope.Encode(payload, new DareEnvelopeOptions
        {
            Recipients = encryptTo is null ? [] : [encryptTo],
            DigestAlgorithm = DareAlgorithms.Sha2_512,
        });
        var utc = created ?? DateTime.UtcNow;
        var manifest = ProtocolJson.Serialize(new ResponseManifest
        {
            PayloadDigest = carried.Trailer!.PayloadDigest,
            RequestId = requestId,
            Created = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            TicketGrant = grant,
        });
        var signature = new DareSignature
        {
            Algorithm = host.Algorithm,
            KeyIdentifier = host.KeyIdentifier,
            Manifest = manifest,
            SignatureValue = host.Sign(SHA512.HashData(manifest)),
        };
        return new DareEnvelope(carried.Header, carried.Payload,
            new DareTrailer { PayloadDigest = carried.Trailer.PayloadDigest, Signatures = [signature] });
    }

    /// <summary>
    /// Accepts a response only if it carries one signature with a ResponseManifest, the host key
    /// signed that manifest, it describes this payload, and its RequestId is <paramref name="requestId"/>.
    /// </summary>
    public static ResponseManifest Verify(DareEnvelope envelope, IDareVerifier host, string requestId)
    {
        ArgumentNullException.ThrowIfNull(host);
        var signature = envelope.Signatures.SingleOrDefault(s => s.Manifest is not null)
            ?? throw new MeshAuthenticationException(AuthenticationProblem.NoSignature, "the response carries no signature with a ResponseManifest");
        ResponseManifest manifest;
        try
        {
            manifest = ProtocolJson.ReadResponseManifest(signature.Manifest!);
        }
        catch (MeshFormatException e)
        {
            throw new MeshAuthenticationException(AuthenticationProblem.MalformedManifest, $"the response Manifest is not a ResponseManifest: {e.Message}", e);
        }
        if (signature.KeyIdentifier != host.KeyIdentifier)
            throw new MeshAuthenticationException(AuthenticationProblem.BadSignature, $"the response is signed by '{signature.KeyIdentifier}', not by the host key {host.KeyIdentifier}");
        if (signature.SignatureValue is null || !host.Verify(SHA512.HashData(signature.Manifest!), signature.SignatureValue))
            throw new MeshAuthenticationException(AuthenticationProblem.BadSignature, "the host signature over the ResponseManifest does not verify");
        if (manifest.PayloadDigest is null || !CryptographicOperations.FixedTimeEquals(manifest.PayloadDigest, SHA512.HashData(envelope.Payload)))
            throw new MeshAuthenticationException(AuthenticationProblem.ManifestDigestMismatch, "the ResponseManifest PayloadDigest is not the SHA-512 of the response payload");
        if (manifest.RequestId != requestId)
            throw new MeshAuthenticationException(AuthenticationProblem.RequestIdMismatch,
                $"the response answers request '{manifest.RequestId}', not the request just sent ({requestId})");
        return manifest;
    }
}

/// <summary>Ticket grants: issued by the gateway, opened by the device with its Encryption key.</summary>
public static class SessionKeyGrant
{
    public const int SessionKeyLength = 32;

    /// <summary>Issues a ticket for <paramref name="request"/> (Profile-authenticated) valid for <paramref name="lifetime"/>.</summary>
    public static TicketGrant Issue(AuthenticatedRequest request, TicketKeyRing keys, DateTime now, TimeSpan lifetime)
    {
        var sessionKey = RandomNumberGenerator.GetBytes(SessionKeyLength);
        try
        {
            var expires = new DateTime((now + lifetime).Ticks - (now + lifetime).Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            var ticket = keys.Seal(new TicketContent
            {
                AccountAddress = request.AccountAddress,
                AccountUdf = request.AccountUdf,
                DeviceUdf = request.DeviceUdf,
                DeviceSignatureUdf = request.DeviceSignatureUdf,
                DeviceEncryptionCurve = request.DeviceEncryptionCurve,
                DeviceEncryptionKey = request.DeviceEncryptionKey,
                SessionKey = sessionKey,
                Expires = expires,
            });
            var encrypted = DareEnvelope.Encode(sessionKey, new DareEnvelopeOptions { Recipients = [request.DeviceRecipient()] });
            return new TicketGrant { Ticket = ticket, EnvelopedSessionKey = ProtocolJson.ToEnveloped(encrypted), Expires = expires };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>The session key of a grant, decrypted with the device's Encryption key.</summary>
    public static byte[] OpenSessionKey(TicketGrant grant, AgreementKeyPair deviceEncryption)
    {
        if (grant.Ticket is null || grant.EnvelopedSessionKey is null)
            throw new MeshFormatException("the ticket grant lacks Ticket or EnvelopedSessionKey");
        var envelope = ProtocolJson.FromEnveloped(grant.EnvelopedSessionKey, "EnvelopedSessionKey");
        var key = envelope.DecryptPayload([DareKeyPairs.Decryption(deviceEncryption)]);
        return key.Length == SessionKeyLength ? key : throw new MeshCryptoException($"the session key is {key.Length} bytes, not {SessionKeyLength}");
    }
}
