using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;

using UdfCodec = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Protocol;

public sealed class RequestAuthenticationTests : IDisposable
{
    static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"StatusRequest\":{}}");
    static readonly TimeSpan Window = RequestVerifier.DefaultWindow;
    const string ServiceUdf = "MDZP-KQYI-X4KI-6M6F-QBHA-3ITQ-3GMS";

    readonly TestDevice device = new();
    readonly TestAccount account = new("alice@example.com");
    readonly byte[] ticketKey = RandomNumberGenerator.GetBytes(32);
    readonly TicketKeyRing tickets;

    public RequestAuthenticationTests() => tickets = new TicketKeyRing([ticketKey]);

    public void Dispose()
    {
        device.Dispose();
        account.Dispose();
        tickets.Dispose();
    }

    RequestCredentials DeviceCredentials(string? service = null) => new()
    {
        Mode = RequestModes.Device, ServiceUdf = service ?? ServiceUdf, ProfileDevice = device.Profile, SignatureKey = device.Signature,
    };

    RequestCredentials ProfileCredentials(Mesh.Core.Dare.DareEnvelope? connection = null, SignatureKeyPair? key = null) => new()
    {
        Mode = RequestModes.Profile, ServiceUdf = ServiceUdf, Account = account.Address, ProfileDevice = device.Profile,
        ConnectionDevice = connection ?? account.Connect(device), SignatureKey = key ?? device.Signature,
    };

    static PresentedRequest Present(DareEnvelope envelope) =>
        RequestVerifier.Read(DareEnvelope.Decode(envelope.ToJson()));

    static AuthenticationProblem Refused(Action check) => Assert.Throws<MeshAuthenticationException>(check).Problem;

    AuthenticatedRequest AcceptProfile(DareEnvelope envelope)
    {
        var presented = Present(envelope);
        RequestVerifier.CheckFreshness(presented, ServiceUdf, DateTime.UtcNow, Window);
        return RequestVerifier.VerifyProfile(presented, account.Profile, account.Udf);
    }

    [Fact]
    public void A_Device_request_signed_by_the_ProfileDevice_Signature_key_is_accepted()
    {
        var presented = Present(RequestEnvelope.Seal(Payload, DeviceCredentials()));
        RequestVerifier.CheckFreshness(presented, ServiceUdf, DateTime.UtcNow, Window);
        var accepted = RequestVerifier.VerifyDevice(presented);

        Assert.Equal(RequestModes.Device, accepted.Mode);
        Assert.Equal(device.Udf, accepted.DeviceUdf);
        Assert.Equal(UdfCodec.KeyFingerprint(device.Signature), accepted.DeviceSignatureUdf);
        Assert.Equal(presented.Envelope.Header.EnvelopeId, accepted.EnvelopeId);
        Assert.Equal(device.Encryption.PublicKey, accepted.DeviceEncryptionKey);
    }

    [Fact]
    public void The_manifest_is_carried_in_the_one_signature_and_the_signature_is_over_its_SHA_512()
    {
        var envelope = RequestEnvelope.Seal(Payload, DeviceCredentials());
        var signature = Assert.Single(envelope.Signatures);
        var manifest = ProtocolJson.ReadRequestManifest(signature.Manifest);

        Assert.StartsWith("{\"RequestManifest\":{", Encoding.UTF8.GetString(signature.Manifest!));
        Assert.Equal(SHA512.HashData(envelope.Payload), manifest.PayloadDigest);
        Assert.Equal(envelope.Header.EnvelopeId, manifest.EnvelopeId);
        Assert.True(device.Signature.Verify(SHA512.HashData(signature.Manifest!), signature.SignatureValue));
        Assert.Equal(UdfCodec.KeyFingerprint(device.Signature), signature.KeyIdentifier);
    }

    [Fact]
    public void A_Profile_request_with_a_connection_signed_by_the_administration_key_is_accepted()
    {
        var accepted = AcceptProfile(RequestEnvelope.Seal(Payload, ProfileCredentials()));

        Assert.Equal(RequestModes.Profile, accepted.Mode);
        Assert.Equal(account.Address, accepted.AccountAddress);
        Assert.Equal(account.Udf, accepted.AccountUdf);
        Assert.Equal(device.Udf, accepted.DeviceUdf);
    }

    [Fact]
    public void An_envelope_without_a_signature_is_refused()
    {
        var plain = DareEnvelope.Encode(Payload, new DareEnvelopeOptions { DigestAlgorithm = DareAlgorithms.Sha2_512 });
        Assert.Equal(AuthenticationProblem.NoSignature, Refused(() => RequestVerifier.Read(plain)));
    }

    [Fact]
    public void A_signature_without_a_manifest_is_refused()
    {
        var signed = DareEnvelope.Encode(Payload, new DareEnvelopeOptions { Signers = [DareKeyPairs.Signer(device.Signature)] });
        Assert.Equal(AuthenticationProblem.NoSignature, Refused(() => RequestVerifier.Read(signed)));
    }

    [Fact]
    public void A_payload_swapped_under_the_manifest_is_a_digest_mismatch()
    {
        var envelope = RequestEnvelope.Seal(Payload, DeviceCredentials());
        var swapped = new DareEnvelope(envelope.Header, Encoding.UTF8.GetBytes("{\"DownloadRequest\":{}}"), envelope.Trailer);
        Assert.Equal(AuthenticationProblem.ManifestDigestMismatch, Refused(() => RequestVerifier.Read(swapped)));
    }

    [Fact]
    public void A_header_EnvelopeId_other_than_the_manifest_one_is_refused()
    {
        var envelope = RequestEnvelope.Seal(Payload, DeviceCredentials());
        var json = Encoding.UTF8.GetString(envelope.ToJson()).Replace(envelope.Header.EnvelopeId!, UdfCodec.Nonce(128));
        Assert.Equal(AuthenticationProblem.EnvelopeIdMismatch, Refused(() => RequestVerifier.Read(DareEnvelope.Decode(Encoding.UTF8.GetBytes(json)))));
    }

    [Fact]
    public void A_request_for_another_service_is_refused_as_the_wrong_audience()
    {
        var presented = Present(RequestEnvelope.Seal(Payload, DeviceCredentials(service: "MB2G-K5TE-BQSH-QPGV-ZT3N-CJ7D-GVJF")));
        Assert.Equal(AuthenticationProblem.WrongAudience, Refused(() => RequestVerifier.CheckFreshness(presented, ServiceUdf, DateTime.UtcNow, Window)));
    }

    [Theory]
    [InlineData(-301, AuthenticationProblem.StaleCreated)]
    [InlineData(301, AuthenticationProblem.FutureCreated)]
    public void A_Created_time_outside_the_window_is_refused(int offsetSeconds, AuthenticationProblem expected)
    {
        var now = DateTime.UtcNow;
        var presented = Present(RequestEnvelope.Seal(Payload, DeviceCredentials(), created: now.AddSeconds(offsetSeconds)));
        Assert.Equal(expected, Refused(() => RequestVerifier.CheckFreshness(presented, ServiceUdf, now, Window)));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void A_Created_time_inside_the_window_is_accepted(int offsetSeconds)
    {
        var now = DateTime.UtcNow;
        var presented = Present(RequestEnvelope.Seal(Payload, DeviceCredentials(), created: now.AddSeconds(offsetSeconds)));
        RequestVerifier.CheckFreshness(presented, ServiceUdf, now, Window);
    }

    [Fact]
    public void A_manifest_signed_by_another_key_under_the_device_kid_is_a_bad_signature()
    {
        using var other = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var envelope = RequestEnvelope.Seal(Payload, DeviceCredentials());
        var signature = envelope.Signatures[0];
        signature.SignatureValue = other.Sign(SHA512.HashData(signature.Manifest!));
        Assert.Equal(AuthenticationProblem.BadSignature, Refused(() => RequestVerifier.VerifyDevice(Present(envelope))));
    }

    [Fact]
    public void A_valid_signature_by_a_key_that_is_not_the_ProfileDevice_Signature_key_is_refused()
    {
        using var other = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var envelope = RequestEnvelope.Seal(Payload, new RequestCredentials
        {
            Mode = RequestModes.Device, ServiceUdf = ServiceUdf, ProfileDevice = device.Profile, SignatureKey = other,
        });
        Assert.Equal(AuthenticationProblem.KeyNotDeviceSignatureKey, Refused(() => RequestVerifier.VerifyDevice(Present(envelope))));
    }

    [Fact]
    public void A_ProfileDevice_whose_self_signature_does_not_verify_is_refused()
    {
        using var other = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var forged = TestDevice.SelfSigned(new Mesh.Core.Schema.ProfileDevice
        {
            ProfileSignature = TestDevice.KeyData(device.ProfileSignature),
            Signature = TestDevice.KeyData(device.Signature),
            Encryption = TestDevice.KeyData(device.Encryption),
        }, other);
        var envelope = RequestEnvelope.Seal(Payload, new RequestCredentials
        {
            Mode = RequestModes.Device, ServiceUdf = ServiceUdf, ProfileDevice = forged, SignatureKey = device.Signature,
        });
        Assert.Equal(AuthenticationProblem.ProfileDeviceInvalid, Refused(() => RequestVerifier.VerifyDevice(Present(envelope))));
    }

    [Fact]
    public void A_connection_signed_by_another_administration_key_is_refused()
    {
        using var stranger = new TestAccount(account.Address);
        var envelope = RequestEnvelope.Seal(Payload, ProfileCredentials(connection: stranger.Connect(device)));
        Assert.Equal(AuthenticationProblem.ConnectionNotSignedByAdministrator, Refused(() => AcceptProfile(envelope)));
    }

    [Fact]
    public void A_connection_naming_other_device_keys_is_refused()
    {
        using var other = new TestDevice();
        var envelope = RequestEnvelope.Seal(Payload, ProfileCredentials(connection: account.Connect(device, signature: TestDevice.KeyData(other.Signature))));
        Assert.Equal(AuthenticationProblem.ConnectionMismatch, Refused(() => AcceptProfile(envelope)));
    }

    [Fact]
    public void A_connection_for_another_account_is_refused()
    {
        var envelope = RequestEnvelope.Seal(Payload, ProfileCredentials(connection: account.Connect(device, address: "mallory@example.com")));
        Assert.Equal(AuthenticationProblem.ConnectionMismatch, Refused(() => AcceptProfile(envelope)));
    }

    [Fact]
    public void A_Profile_request_without_a_connection_cannot_be_made()
    {
        Assert.Throws<MeshAuthenticationException>(() => RequestEnvelope.Seal(Payload, new RequestCredentials
        {
            Mode = RequestModes.Profile, ServiceUdf = ServiceUdf, Account = account.Address, ProfileDevice = device.Profile, SignatureKey = device.Signature,
        }));
    }

    (TicketGrant Grant, byte[] SessionKey) Grant(TimeSpan? lifetime = null, DateTime? now = null)
    {
        var accepted = AcceptProfile(RequestEnvelope.Seal(Payload, ProfileCredentials()));
        var grant = SessionKeyGrant.Issue(accepted, tickets, now ?? DateTime.UtcNow, lifetime ?? TimeSpan.FromHours(1));
        return (grant, SessionKeyGrant.OpenSessionKey(grant, device.Encryption));
    }

    RequestCredentials TicketCredentials(string ticket, byte[] sessionKey) => new()
    {
        Mode = RequestModes.Ticket, ServiceUdf = ServiceUdf, Account = account.Address, Ticket = ticket, SessionKey = sessionKey,
    };

    [Fact]
    public void A_Ticket_request_with_the_MAC_under_the_granted_session_key_is_accepted()
    {
        var (grant, sessionKey) = Grant();
        var envelope = RequestEnvelope.Seal(Payload, TicketCredentials(grant.Ticket!, sessionKey));
        var accepted = RequestVerifier.VerifyTicket(Present(envelope), tickets, DateTime.UtcNow);

        Assert.Equal(RequestModes.Ticket, accepted.Mode);
        Assert.Equal(account.Address, accepted.AccountAddress);
        Assert.Equal(account.Udf, accepted.AccountUdf);
        Assert.Equal(device.Udf, accepted.DeviceUdf);
        Assert.Equal(MeshAlgorithms.HmacSha2_512, envelope.Signatures[0].Algorithm);
    }

    [Fact]
    public void The_session_key_grant_opens_only_with_the_device_Encryption_key()
    {
        var (grant, _) = Grant();
        using var other = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X25519);
        Assert.ThrowsAny<MeshException>(() => SessionKeyGrant.OpenSessionKey(grant, other));
    }

    [Fact]
    public void A_Ticket_request_with_a_MAC_under_another_key_is_refused_as_a_bad_MAC()
    {
        var (grant, _) = Grant();
        var envelope = RequestEnvelope.Seal(Payload, TicketCredentials(grant.Ticket!, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(AuthenticationProblem.BadMac, Refused(() => RequestVerifier.VerifyTicket(Present(envelope), tickets, DateTime.UtcNow)));
    }

    [Fact]
    public void An_altered_ticket_is_refused()
    {
        var (grant, sessionKey) = Grant();
        var bytes = Base64Url.Decode(grant.Ticket!);
        bytes[^1] ^= 1;
        var envelope = RequestEnvelope.Seal(Payload, TicketCredentials(Base64Url.Encode(bytes), sessionKey));
        Assert.Equal(AuthenticationProblem.TicketInvalid, Refused(() => RequestVerifier.VerifyTicket(Present(envelope), tickets, DateTime.UtcNow)));
    }

    [Fact]
    public void An_expired_ticket_is_refused_as_expired()
    {
        var (grant, sessionKey) = Grant(TimeSpan.FromMinutes(1), DateTime.UtcNow.AddHours(-1));
        var envelope = RequestEnvelope.Seal(Payload, TicketCredentials(grant.Ticket!, sessionKey));
        var error = Assert.Throws<MeshAuthenticationException>(() => RequestVerifier.VerifyTicket(Present(envelope), tickets, DateTime.UtcNow));
        Assert.True(error.IsTicketExpired);
    }

    [Fact]
    public void A_ticket_sealed_under_a_retired_key_is_refused_and_one_under_an_older_key_still_in_the_ring_opens()
    {
        var (grant, sessionKey) = Grant();
        var envelope = RequestEnvelope.Seal(Payload, TicketCredentials(grant.Ticket!, sessionKey));
        var presented = Present(envelope);
        var old = Convert.ToBase64String(ticketKey);
        using var rotated = TicketKeyRing.Parse($"{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))},{old}");
        using var retired = TicketKeyRing.Parse(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(account.Address, RequestVerifier.VerifyTicket(presented, rotated, DateTime.UtcNow).AccountAddress);
        Assert.Equal(AuthenticationProblem.TicketInvalid, Refused(() => RequestVerifier.VerifyTicket(presented, retired, DateTime.UtcNow)));
    }

    [Fact]
    public void A_Ticket_request_naming_another_account_than_its_ticket_is_refused()
    {
        var (grant, sessionKey) = Grant();
        var envelope = RequestEnvelope.Seal(Payload, new RequestCredentials
        {
            Mode = RequestModes.Ticket, ServiceUdf = ServiceUdf, Account = "mallory@example.com", Ticket = grant.Ticket, SessionKey = sessionKey,
        });
        Assert.Equal(AuthenticationProblem.TicketInvalid, Refused(() => RequestVerifier.VerifyTicket(Present(envelope), tickets, DateTime.UtcNow)));
    }

    [Fact]
    public void A_request_encrypted_to_the_host_key_verifies_over_its_ciphertext_and_decrypts()
    {
        using var host = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X25519);
        var envelope = RequestEnvelope.Seal(Payload, DeviceCredentials(), encryptTo: DareKeyPairs.Recipient(host));
        var presented = Present(envelope);
        RequestVerifier.VerifyDevice(presented);

        Assert.True(presented.Envelope.IsEncrypted);
        Assert.Equal(Payload, presented.Envelope.DecryptPayload([DareKeyPairs.Decryption(host)]));
    }
}
