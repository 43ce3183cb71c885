using Mesh.Common.V1;
using Mesh.Core.Protocol;
using Mesh.Gateway.Dispatch;
using Mesh.Gateway.HostKey;
using Mesh.Gateway.Wire;

namespace Mesh.Gateway.Authentication;

/// <summary>Who a request comes from: the principal for the services and, when authenticated, what the response needs.</summary>
public sealed record Authentication(Principal Principal, AuthenticatedRequest? Request)
{
    public static readonly Authentication Null = new(new Principal { Mode = AuthenticationMode.Null }, null);
}

/// <summary>
/// ADR 0005 at the gateway: read the request signature and its manifest, check audience and time,
/// verify the mode's credentials, and record (kid, EnvelopeId) so a replay fails on every replica.
/// </summary>
public sealed class RequestAuthenticator(AuthenticationSettings settings, AccountDirectory accounts, ReplayTable replays, TimeProvider clock)
{
    public async Task<Authentication> AuthenticateAsync(ParsedRequest request, Transaction entry, bool overTls, HostSigner host,
        CancellationToken cancellationToken)
    {
        var envelope = request.Envelope;
        if (envelope is null || envelope.Signatures.Count == 0)
        {
            if (entry.Required == AuthenticationMode.Null) return Authentication.Null;
            throw new MeshWireException(StatusCodes.Status401Unauthorized,
                $"{request.Request.MeshTag} needs {entry.Required} authentication; the request is not authenticated.");
        }
        if (!overTls && !envelope.IsEncrypted)
            throw new MeshWireException(StatusCodes.Status403Forbidden,
                "Authenticated requests over plain HTTP must be encrypted to the host's Encryption key; use HTTPS or encrypt the payload.");
        try
        {
            var presented = RequestVerifier.Read(envelope);
            RequestVerifier.CheckFreshness(presented, host.ServiceUdf, clock.GetUtcNow().UtcDateTime, settings.Window);
            var accepted = presented.Mode switch
            {
                RequestModes.Device => RequestVerifier.VerifyDevice(presented),
                RequestModes.Profile => await VerifyProfileAsync(presented, cancellationToken),
                _ => RequestVerifier.VerifyTicket(presented, settings.TicketKeys, clock.GetUtcNow().UtcDateTime),
            };
            var mode = ModeOf(accepted.Mode);
            if (!Satisfies(mode, entry.Required))
                throw new MeshWireException(StatusCodes.Status401Unauthorized,
                    $"{request.Request.MeshTag} needs {entry.Required} authentication; the request is authenticated in {accepted.Mode} mode.");
            if (!await replays.FirstSightAsync(accepted.KeyIdentifier, accepted.EnvelopeId, cancellationToken))
                throw new MeshWireException(StatusCodes.Status401Unauthorized,
                    $"The request {accepted.EnvelopeId} was already received: a replayed request is refused.");
            return new Authentication(new Principal
            {
                Mode = mode,
                // Addresses are bound in lower case (services/Mesh.Account AccountPolicy); services match them exactly.
                AccountAddress = accepted.AccountAddress?.ToLowerInvariant() ?? "",
                AccountUdf = accepted.AccountUdf ?? "",
                DeviceUdf = accepted.DeviceUdf,
            }, accepted);
        }
        catch (MeshAuthenticationException e)
        {
            throw new MeshWireException(StatusCodes.Status401Unauthorized, $"Authentication refused ({e.Problem}): {e.Message}.", e);
        }
    }

    private async Task<AuthenticatedRequest> VerifyProfileAsync(PresentedRequest presented, CancellationToken cancellationToken)
    {
        var address = presented.Manifest.Account
            ?? throw new MeshAuthenticationException(AuthenticationProblem.WrongMode, "a Profile request must name its Account");
        var account = await accounts.GetAsync(address, cancellationToken);
        return RequestVerifier.VerifyProfile(presented, account.Profile, account.Udf);
    }

    private static AuthenticationMode ModeOf(string mode) => mode switch
    {
        RequestModes.Device => AuthenticationMode.Device,
        RequestModes.Profile => AuthenticationMode.Profile,
        _ => AuthenticationMode.Ticket,
    };

    // Null < Device < Profile = Ticket: a stronger mode serves a transaction that needs a weaker one.
    private static bool Satisfies(AuthenticationMode mode, AuthenticationMode required) => required switch
    {
        AuthenticationMode.Null or AuthenticationMode.Unspecified => true,
        AuthenticationMode.Device => mode is AuthenticationMode.Device or AuthenticationMode.Profile or AuthenticationMode.Ticket,
        _ => mode is AuthenticationMode.Profile or AuthenticationMode.Ticket,
    };
}
