namespace Mesh.Core.Protocol;

/// <summary>Why an authenticated request or response was refused (ADR 0005).</summary>
public enum AuthenticationProblem
{
    /// <summary>The envelope has no signature, several, or one without a Manifest.</summary>
    NoSignature,
    /// <summary>The manifest is not a well-formed RequestManifest/ResponseManifest.</summary>
    MalformedManifest,
    /// <summary>PayloadDigest in the manifest is not SHA-512 of the payload received.</summary>
    ManifestDigestMismatch,
    /// <summary>EnvelopeId of the manifest and of the header differ, or it is missing or too short.</summary>
    EnvelopeIdMismatch,
    /// <summary>The manifest names another service.</summary>
    WrongAudience,
    /// <summary>Created is older than the window allows.</summary>
    StaleCreated,
    /// <summary>Created is further ahead than the window allows.</summary>
    FutureCreated,
    /// <summary>The EdDSA signature does not verify.</summary>
    BadSignature,
    /// <summary>The signing key is not the Signature key of the ProfileDevice presented.</summary>
    KeyNotDeviceSignatureKey,
    /// <summary>The ProfileDevice is missing, malformed or not validly self-signed.</summary>
    ProfileDeviceInvalid,
    /// <summary>The ConnectionDevice is missing or does not verify under the account's AdministratorSignature key.</summary>
    ConnectionNotSignedByAdministrator,
    /// <summary>The ConnectionDevice names other device keys or another account.</summary>
    ConnectionMismatch,
    /// <summary>The Ticket-mode MAC does not verify under the ticket's session key.</summary>
    BadMac,
    /// <summary>The ticket does not open under any ticket key (forged, altered, or from a retired key).</summary>
    TicketInvalid,
    /// <summary>The ticket has expired.</summary>
    TicketExpired,
    /// <summary>The response does not answer the request just sent.</summary>
    RequestIdMismatch,
    /// <summary>The mode is not Device, Profile or Ticket, or does not fit the fields presented.</summary>
    WrongMode,
}

/// <summary>An authenticated request or response is refused; <see cref="Problem"/> says why, the message names it.</summary>
public sealed class MeshAuthenticationException : MeshCryptoException
{
    public MeshAuthenticationException(AuthenticationProblem problem, string message) : base(message) => Problem = problem;

    public MeshAuthenticationException(AuthenticationProblem problem, string message, Exception inner) : base(message, inner) => Problem = problem;

    public AuthenticationProblem Problem { get; }

    /// <summary>An expired ticket: the client should fall back to Profile authentication once.</summary>
    public bool IsTicketExpired => Problem == AuthenticationProblem.TicketExpired;
}
