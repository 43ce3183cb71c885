using System.Security.Cryptography;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Mesh.Core.Protocol;

/// <summary>A request envelope read as ADR 0005 has it: its one signature and the manifest that signature covers.</summary>
public sealed record PresentedRequest(DareEnvelope Envelope, DareSignature Signature, RequestManifest Manifest, byte[] ManifestDigest)
{
    public string Mode => Manifest.Mode!;

    public string EnvelopeId => Manifest.EnvelopeId!;

    /// <summary>The signature's kid: with <see cref="EnvelopeId"/>, the replay key.</summary>
    public string KeyIdentifier => Signature.KeyIdentifier!;
}

/// <summary>Who an accepted request comes from.</summary>
public sealed record AuthenticatedRequest(
    string Mode,
    string? AccountAddress,
    string? AccountUdf,
    string DeviceUdf,
    string DeviceSignatureUdf,
    string EnvelopeId,
    string KeyIdentifier,
    string DeviceEncryptionCurve,
    byte[] DeviceEncryptionKey)
{
    /// <summary>The device's Encryption key: responses over plain HTTP and session keys are encrypted to it.</summary>
    public IDareRecipientKey DeviceRecipient()
    {
        var key = (AgreementKeyPair)KeyPair.FromPublic(DeviceEncryptionCurve, DeviceEncryptionKey);
        return DareKeyPairs.Recipient(key);
    }
}

/// <summary>
/// The gateway's checks of ADR 0005, pure: read the envelope and its manifest, check freshness and
/// audience, then verify the mode's credentials. Each refusal is a <see cref="MeshAuthenticationException"/>.
/// </summary>
public static class RequestVerifier
{
    /// <summary>Default tolerance on Created either side of the gateway's clock.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(300);

    /// <summary>Reads the signature and manifest and checks that the manifest describes this envelope.</summary>
    public static PresentedRequest Read(DareEnvelope envelope)
    {
        var signatures = envelope.Signatures;
        if (signatures.Count == 0)
            throw Refuse(AuthenticationProblem.NoSignature, "the request envelope carries no signature");
        if (signatures.Count > 1)
            throw Refuse(AuthenticationProblem.NoSignature, $"the request envelope carries {signatures.Count} signatures; exactly one is expected");
        var signature = signatures[0];
        if (signature.Manifest is null || signature.SignatureValue is null || string.IsNullOrEmpty(signature.KeyIdentifier))
            throw Refuse(AuthenticationProblem.NoSignature, "the request signature has no Manifest, kid or signature value");
        RequestManifest manifest;
        try
        {
            manifest = ProtocolJson.ReadRequestManifest(signature.Manifest);
        }
        catch (MeshFormatException e)
        {
            throw Refuse(AuthenticationProblem.MalformedManifest, $"the signature's Manifest is not a RequestManifest: {e.Message}", e);
        }
        if (manifest.Mode is not (RequestModes.Device or RequestModes.Profile or RequestModes.Ticket))
            throw Refuse(AuthenticationProblem.WrongMode, $"the manifest Mode '{manifest.Mode}' is not Device, Profile or Ticket");
        if (manifest.Created is null || string.IsNullOrEmpty(manifest.Service) || manifest.PayloadDigest is null)
            throw Refuse(AuthenticationProblem.MalformedManifest, "the RequestManifest lacks PayloadDigest, Created or Service");
        var digest = SHA512.HashData(envelope.Payload);
        if (!CryptographicOperations.FixedTimeEquals(digest, manifest.PayloadDigest))
            throw Refuse(AuthenticationProblem.ManifestDigestMismatch, "the manifest PayloadDigest is not the SHA-512 of the payload received");
        if (envelope.CarriedDigest is { } carried && !CryptographicOperations.FixedTimeEquals(digest, carried))
            throw Refuse(AuthenticationProblem.ManifestDigestMismatch, "the trailer PayloadDigest is not the SHA-512 of the payload received");
        CheckEnvelopeId(manifest.EnvelopeId, envelope.Header.EnvelopeId);
        return new PresentedRequest(envelope, signature, manifest, SHA512.HashData(signature.Manifest));
    }

    /// <summary>Audience and time: Service must be ours, Created within <paramref name="window"/> of <paramref name="now"/>.</summary>
    public static void CheckFreshness(PresentedRequest request, string serviceUdf, DateTime now, TimeSpan window)
    {
        if (!string.Equals(Udf.Udf.Canonical(request.Manifest.Service!), Udf.Udf.Canonical(serviceUdf), StringComparison.Ordinal))
            throw Refuse(AuthenticationProblem.WrongAudience, $"the request is addressed to service {request.Manifest.Service}, this is {serviceUdf}");
        var created = request.Manifest.Created!.Value;
        if (created < now - window)
            throw Refuse(AuthenticationProblem.StaleCreated, $"the request was created at {created:O}, more than {window.TotalSeconds:0} s before the service's clock ({now:O})");
        if (created > now + window)
            throw Refuse(AuthenticationProblem.FutureCreated, $"the request was created at {created:O}, more than {window.TotalSeconds:0} s after the service's clock ({now:O})");
    }

    /// <summary>Device mode: the self-signed ProfileDevice and a signature by its Signature key over the manifest.</summary>
    public static AuthenticatedRequest VerifyDevice(PresentedRequest request)
    {
        RequireMode(request, RequestModes.Device, RequestModes.Profile);
        var (device, deviceUdf) = ReadProfileDevice(request.Manifest);
        VerifyDeviceSignature(request, device);
        return Accepted(request, request.Manifest.Account, null, device, deviceUdf);
    }

    /// <summary>
    /// Profile mode: Device mode's checks, and the ConnectionDevice verifies under the AdministratorSignature
    /// key of <paramref name="account"/> (the ProfileUser bound to the address, whose UDF is <paramref name="accountUdf"/>),
    /// names the device's keys and the same account address.
    /// </summary>
    public static AuthenticatedRequest VerifyProfile(PresentedRequest request, ProfileAccount account, string accountUdf)
    {
        RequireMode(request, RequestModes.Profile);
        var address = request.Manifest.Account
            ?? throw Refuse(AuthenticationProblem.WrongMode, "a Profile request must name its Account");
        var (device, deviceUdf) = ReadProfileDevice(request.Manifest);
        VerifyDeviceSignature(request, device);
        if (account.AccountAddress is { } bound && !string.Equals(bound, address, StringComparison.OrdinalIgnoreCase))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, $"the account profile is bound to {bound}, the request names {address}");
        if (request.Manifest.EnvelopedConnectionDevice is not { } enveloped)
            throw Refuse(AuthenticationProblem.ConnectionNotSignedByAdministrator, "a Profile request must carry EnvelopedConnectionDevice");
        DareEnvelope envelope;
        ConnectionDevice connection;
        try
        {
            envelope = ProtocolJson.FromEnveloped(enveloped, "EnvelopedConnectionDevice");
            if (envelope.IsEncrypted) throw new MeshFormatException("the ConnectionDevice is encrypted");
            connection = MeshJson.Deserialize<ConnectionDevice>(envelope.Payload);
        }
        catch (MeshException e)
        {
            throw Refuse(AuthenticationProblem.ConnectionNotSignedByAdministrator, $"EnvelopedConnectionDevice is unreadable: {e.Message}", e);
        }
        SignatureKeyPair admin;
        try
        {
            admin = ProtocolKeys.ToSignatureKey(account.AdministratorSignature, "AdministratorSignature of the account profile");
        }
        catch (MeshException e)
        {
            throw Refuse(AuthenticationProblem.ConnectionNotSignedByAdministrator, $"the bound account profile has no usable administration key: {e.Message}", e);
        }
        using (admin)
        {
            var verifier = DareKeyPairs.Verifier(admin, account.AdministratorSignature!.Udf);
            var check = envelope.Verify(s => s.KeyIdentifier == verifier.KeyIdentifier ? verifier : null);
            if (!check.DigestMatches || !check.Signatures.Any(s => s.Valid && s.KeyIdentifier == verifier.KeyIdentifier))
                throw Refuse(AuthenticationProblem.ConnectionNotSignedByAdministrator,
                    $"the ConnectionDevice is not signed by the administration key {verifier.KeyIdentifier} of {address}: {check.Problem ?? "no signature by that key"}");
        }
        if (!ProtocolKeys.SameKey(connection.Signature, device.Signature))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, "the ConnectionDevice names another Signature key than the ProfileDevice");
        if (connection.Encryption is not null && !ProtocolKeys.SameKey(connection.Encryption, device.Encryption))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, "the ConnectionDevice names another Encryption key than the ProfileDevice");
        if (connection.Authentication is not null && device.Authentication is not null && !ProtocolKeys.SameKey(connection.Authentication, device.Authentication))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, "the ConnectionDevice names another Authentication key than the ProfileDevice");
        if (connection.SubjectUdf is { } subject && !string.Equals(Udf.Udf.Canonical(subject), Udf.Udf.Canonical(deviceUdf), StringComparison.Ordinal))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, $"the ConnectionDevice is for device {subject}, the request comes from {deviceUdf}");
        if (!string.Equals(connection.AccountAddress, address, StringComparison.OrdinalIgnoreCase))
            throw Refuse(AuthenticationProblem.ConnectionMismatch, $"the ConnectionDevice is for account '{connection.AccountAddress}', the request names {address}");
        return Accepted(request, address, accountUdf, device, deviceUdf);
    }

    /// <summary>Ticket mode: the ticket opens under a ticket key, has not expired, and the MAC verifies under its session key.</summary>
    public static AuthenticatedRequest VerifyTicket(PresentedRequest request, TicketKeyRing keys, DateTime now)
    {
        RequireMode(request, RequestModes.Ticket);
        if (request.Signature.Algorithm != MeshAlgorithms.HmacSha2_512)
            throw Refuse(AuthenticationProblem.BadMac, $"a Ticket request is authenticated by HS512, not '{request.Signature.Algorithm}'");
        var ticket = keys.Open(request.KeyIdentifier);
        try
        {
            if (ticket.SessionKey is not { Length: 32 } || ticket.Expires is null || ticket.DeviceUdf is null || ticket.DeviceSignatureUdf is null
                || ticket.AccountAddress is null || ticket.DeviceEncryptionCurve is null || ticket.DeviceEncryptionKey is null)
                throw Refuse(AuthenticationProblem.TicketInvalid, "the ticket lacks a field it must hold");
            if (ticket.Expires.Value <= now)
                throw Refuse(AuthenticationProblem.TicketExpired, $"the ticket expired at {ticket.Expires.Value:O}");
            if (!Mac.Verify(MeshAlgorithms.HmacSha2_512, ticket.SessionKey, request.ManifestDigest, request.Signature.SignatureValue))
                throw Refuse(AuthenticationProblem.BadMac, "the request MAC does not verify under the ticket's session key");
            if (!string.Equals(request.Manifest.Account, ticket.AccountAddress, StringComparison.OrdinalIgnoreCase))
                throw Refuse(AuthenticationProblem.TicketInvalid, $"the ticket is for {ticket.AccountAddress}, the request names '{request.Manifest.Account}'");
            return new AuthenticatedRequest(RequestModes.Ticket, ticket.AccountAddress, ticket.AccountUdf, ticket.DeviceUdf, ticket.DeviceSignatureUdf,
                request.EnvelopeId, request.KeyIdentifier, ticket.DeviceEncryptionCurve, ticket.DeviceEncryptionKey);
        }
        finally
        {
            if (ticket.SessionKey is not null) CryptographicOperations.ZeroMemory(ticket.SessionKey);
        }
    }

    static void CheckEnvelopeId(string? manifestId, string? headerId)
    {
        if (string.IsNullOrEmpty(manifestId) || manifestId != headerId)
            throw Refuse(AuthenticationProblem.EnvelopeIdMismatch, $"the manifest EnvelopeId '{manifestId}' is not the header EnvelopeId '{headerId}'");
        UdfValue id;
        try
        {
            id = Udf.Udf.Parse(manifestId);
        }
        catch (MeshFormatException e)
        {
            throw Refuse(AuthenticationProblem.EnvelopeIdMismatch, $"EnvelopeId '{manifestId}' is not a UDF: {e.Message}", e);
        }
        if (id.Type != UdfTypeCode.Nonce || id.Data.Length < 16)
            throw Refuse(AuthenticationProblem.EnvelopeIdMismatch, $"EnvelopeId '{manifestId}' is not a UDF nonce of 128 bits or more");
    }

    static void RequireMode(PresentedRequest request, params string[] modes)
    {
        if (!modes.Contains(request.Mode))
            throw Refuse(AuthenticationProblem.WrongMode, $"a {request.Mode} request cannot be verified as {string.Join(" or ", modes)}");
    }

    static (ProfileDevice Device, string DeviceUdf) ReadProfileDevice(RequestManifest manifest)
    {
        if (manifest.EnvelopedProfileDevice is not { } enveloped)
            throw Refuse(AuthenticationProblem.ProfileDeviceInvalid, $"a {manifest.Mode} request must carry EnvelopedProfileDevice");
        try
        {
            var envelope = ProtocolJson.FromEnveloped(enveloped, "EnvelopedProfileDevice");
            var check = DareSelfSigned.Verify(envelope);
            if (!check.IsValid) throw new MeshCryptoException($"not validly self-signed: {check.Problem}");
            var device = MeshJson.Deserialize<ProfileDevice>(envelope.Payload);
            var udf = device.ProfileSignature?.Udf ?? throw new MeshFormatException("no ProfileSignature");
            return (device, udf);
        }
        catch (MeshException e) when (e is not MeshAuthenticationException)
        {
            throw Refuse(AuthenticationProblem.ProfileDeviceInvalid, $"the ProfileDevice is not acceptable: {e.Message}", e);
        }
    }

    static void VerifyDeviceSignature(PresentedRequest request, ProfileDevice device)
    {
        SignatureKeyPair key;
        try
        {
            key = ProtocolKeys.ToSignatureKey(device.Signature, "ProfileDevice.Signature");
        }
        catch (MeshException e)
        {
            throw Refuse(AuthenticationProblem.ProfileDeviceInvalid, $"the ProfileDevice has no usable Signature key: {e.Message}", e);
        }
        using (key)
        {
            if (!string.Equals(Udf.Udf.Canonical(request.KeyIdentifier), Udf.Udf.Canonical(device.Signature!.Udf!), StringComparison.Ordinal))
                throw Refuse(AuthenticationProblem.KeyNotDeviceSignatureKey,
                    $"the request is signed by {request.KeyIdentifier}, not by the ProfileDevice's Signature key {device.Signature.Udf}");
            var algorithm = DareKeyPairs.SignatureAlgorithm(key);
            if (request.Signature.Algorithm is { } alg && alg != algorithm)
                throw Refuse(AuthenticationProblem.BadSignature, $"the signature algorithm '{alg}' is not that of the {algorithm} device key");
            if (!key.Verify(request.ManifestDigest, request.Signature.SignatureValue))
                throw Refuse(AuthenticationProblem.BadSignature, $"the signature by {request.KeyIdentifier} does not verify over the manifest");
        }
    }

    static AuthenticatedRequest Accepted(PresentedRequest request, string? account, string? accountUdf, ProfileDevice device, string deviceUdf)
    {
        if (device.Encryption?.PublicParameters is not PublicKeyECDH { Curve: { } curve, Public: { } encryption })
            throw Refuse(AuthenticationProblem.ProfileDeviceInvalid, "the ProfileDevice has no Encryption key");
        return new AuthenticatedRequest(request.Mode, account, accountUdf, deviceUdf, device.Signature!.Udf!, request.EnvelopeId,
            request.KeyIdentifier, MeshAlgorithms.KeyAlgorithm(curve), encryption);
    }

    static MeshAuthenticationException Refuse(AuthenticationProblem problem, string message, Exception? inner = null) =>
        inner is null ? new(problem, message) : new(problem, message, inner);
}
