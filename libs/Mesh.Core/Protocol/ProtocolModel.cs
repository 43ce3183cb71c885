using System.Text.Json.Serialization;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Protocol;

/// <summary>The authenticated request modes of ADR 0005 as the manifest spells them.</summary>
public static class RequestModes
{
    public const string Device = "Device";
    public const string Profile = "Profile";
    public const string Ticket = "Ticket";
}

/// <summary>
/// What the one request signature covers (ADR 0005): the signature's <c>Manifest</c> holds the
/// JSON bytes of <c>{"RequestManifest":{...}}</c> and the signature value is over SHA-512 of them.
/// </summary>
public sealed class RequestManifest
{
    /// <summary>SHA-512 of the envelope payload as carried (the ciphertext when encrypted).</summary>
    public byte[]? PayloadDigest { get; set; }

    /// <summary>The header EnvelopeId: a UDF nonce of 128 bits or more, unique per request.</summary>
    public string? EnvelopeId { get; set; }

    public DateTime? Created { get; set; }

    /// <summary>The audience: UDF of the service's ProfileService signature key.</summary>
    public string? Service { get; set; }

    /// <summary><see cref="RequestModes"/>.</summary>
    public string? Mode { get; set; }

    /// <summary>The account address (Profile, Ticket).</summary>
    public string? Account { get; set; }

    /// <summary>The device's self-signed ProfileDevice (Device, Profile).</summary>
    public Enveloped? EnvelopedProfileDevice { get; set; }

    /// <summary>The ConnectionDevice signed by the account's AdministratorSignature key (Profile).</summary>
    public Enveloped? EnvelopedConnectionDevice { get; set; }
}

/// <summary>What the host signature on a response to an authenticated request covers.</summary>
public sealed class ResponseManifest
{
    public byte[]? PayloadDigest { get; set; }

    /// <summary>The EnvelopeId of the request this answers: a replayed response fails this check.</summary>
    public string? RequestId { get; set; }

    public DateTime? Created { get; set; }

    /// <summary>Present in the answer to a successful Profile-authenticated request.</summary>
    public TicketGrant? TicketGrant { get; set; }
}

/// <summary>A ticket and its session key, the key encrypted to the device's Encryption key.</summary>
public sealed class TicketGrant
{
    /// <summary>Opaque to the client: it sends it back as the kid of Ticket-mode requests.</summary>
    public string? Ticket { get; set; }

    /// <summary>A DARE envelope whose payload is the 32-byte session key, encrypted to the device's Encryption key.</summary>
    public Enveloped? EnvelopedSessionKey { get; set; }

    public DateTime? Expires { get; set; }
}

/// <summary>What a sealed ticket holds; only the gateway replicas (holders of the ticket key) read it.</summary>
public sealed class TicketContent
{
    public string? AccountAddress { get; set; }

    public string? AccountUdf { get; set; }

    /// <summary>UDF of the device profile (its ProfileSignature key).</summary>
    public string? DeviceUdf { get; set; }

    /// <summary>UDF of the device's Signature key.</summary>
    public string? DeviceSignatureUdf { get; set; }

    /// <summary>Curve of the device's Encryption key (X25519, X448), so Ticket-mode answers over plain HTTP can be encrypted to it.</summary>
    public string? DeviceEncryptionCurve { get; set; }

    /// <summary>The device's Encryption public key.</summary>
    public byte[]? DeviceEncryptionKey { get; set; }

    public byte[]? SessionKey { get; set; }

    public DateTime? Expires { get; set; }
}

internal sealed class RequestManifestDocument
{
    [JsonPropertyName("RequestManifest")]
    public RequestManifest? Body { get; set; }
}

internal sealed class ResponseManifestDocument
{
    [JsonPropertyName("ResponseManifest")]
    public ResponseManifest? Body { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(Base64UrlConverter), typeof(Rfc3339DateTimeConverter)])]
[JsonSerializable(typeof(RequestManifestDocument))]
[JsonSerializable(typeof(ResponseManifestDocument))]
[JsonSerializable(typeof(TicketContent))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
