using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Client.Transport;

/// <summary>What a device presents in Device and Profile mode (ADR 0005): its self-signed profile and its keys.</summary>
/// <param name="ProfileDevice">The device's self-signed ProfileDevice (the manifest's EnvelopedProfileDevice).</param>
/// <param name="SignatureKey">The device Signature key: signs the request manifest.</param>
/// <param name="EncryptionKey">The device Encryption key: opens ticket grants and responses encrypted to the device.</param>
public sealed record DeviceCredential(DareEnvelope ProfileDevice, SignatureKeyPair SignatureKey, AgreementKeyPair EncryptionKey);

/// <summary>What Profile mode adds for an account: its address, its UDF and the device's connection assertion.</summary>
/// <param name="ConnectionDevice">ConnectionDevice signed by the account's AdministratorSignature key.</param>
public sealed record AccountCredential(string AccountAddress, string AccountUdf, DareEnvelope ConnectionDevice);

/// <summary>Device mode: signed by the device's Signature key, presenting its ProfileDevice (BindAccount, Connect).</summary>
public sealed class DeviceAuthentication(DeviceCredential device, string? account = null) : IMeshRequestAuthentication
{
    public string Mode => RequestModes.Device;

    public bool Permits(MeshRequest request) => true;

    public AgreementKeyPair? ResponseKey => device.EncryptionKey;

    public DareEnvelope Seal(byte[] payload, MeshRequestContext context) => RequestEnvelope.Seal(payload, new RequestCredentials
    {
        Mode = RequestModes.Device,
        ServiceUdf = context.ServiceUdf,
        Account = account,
        ProfileDevice = device.ProfileDevice,
        SignatureKey = device.SignatureKey,
    }, context.EncryptTo);
}

/// <summary>Profile mode: Device mode plus the ConnectionDevice signed by the account's administration key.</summary>
public sealed class ProfileAuthentication(DeviceCredential device, string account, DareEnvelope connectionDevice) : IMeshRequestAuthentication
{
    public string Mode => RequestModes.Profile;

    public string Account => account;

    public bool Permits(MeshRequest request) => true;

    public AgreementKeyPair? ResponseKey => device.EncryptionKey;

    /// <summary>The last ticket grant the service issued to this device, with its session key opened.</summary>
    public (string Ticket, byte[] SessionKey, DateTime? Expires)? Grant { get; private set; }

    public DareEnvelope Seal(byte[] payload, MeshRequestContext context) => RequestEnvelope.Seal(payload, new RequestCredentials
    {
        Mode = RequestModes.Profile,
        ServiceUdf = context.ServiceUdf,
        Account = account,
        ProfileDevice = device.ProfileDevice,
        ConnectionDevice = connectionDevice,
        SignatureKey = device.SignatureKey,
    }, context.EncryptTo);

    public void Received(ResponseManifest manifest)
    {
        if (manifest.TicketGrant is not { Ticket: { } ticket } grant) return;
        Grant = (ticket, SessionKeyGrant.OpenSessionKey(grant, device.EncryptionKey), grant.Expires);
    }

    /// <summary>Forgets the grant (the service said it expired).</summary>
    public void Forget() => Grant = null;
}

/// <summary>
/// Ticket mode: a MAC under the session key of the ticket a Profile request obtained. Without a
/// ticket, or after the service refused one as expired (once), it sends a Profile request, whose
/// answer brings a new ticket. Tickets are held in memory only.
/// </summary>
public sealed class TicketAuthentication(ProfileAuthentication profile) : IMeshRequestAuthentication
{
    string? lastMode;

    public string Mode => profile.Grant is null ? RequestModes.Profile : RequestModes.Ticket;

    public bool Permits(MeshRequest request) => true;

    public AgreementKeyPair? ResponseKey => profile.ResponseKey;

    public DareEnvelope Seal(byte[] payload, MeshRequestContext context)
    {
        if (profile.Grant is not { } grant || grant.Expires is { } expires && expires <= DateTime.UtcNow)
        {
            lastMode = RequestModes.Profile;
            return profile.Seal(payload, context);
        }
        lastMode = RequestModes.Ticket;
        return RequestEnvelope.Seal(payload, new RequestCredentials
        {
            Mode = RequestModes.Ticket,
            ServiceUdf = context.ServiceUdf,
            Account = profile.Account,
            Ticket = grant.Ticket,
            SessionKey = grant.SessionKey,
        }, context.EncryptTo);
    }

    public void Received(ResponseManifest manifest) => profile.Received(manifest);

    public bool RetryAfter(MeshResponse refusal)
    {
        if (lastMode != RequestModes.Ticket || refusal.Status != 401
            || refusal.StatusDescription?.Contains(nameof(AuthenticationProblem.TicketExpired), StringComparison.Ordinal) != true)
            return false;
        profile.Forget();
        return true;
    }
}
