using Mesh.Client.Transport;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Client.Authentication;

/// <summary>What a device presents in Device and Profile mode (ADR 0005): its self-signed profile and its keys.</summary>
/// <param name="ProfileDevice">The device's self-signed ProfileDevice (the manifest's EnvelopedProfileDevice).</param>
/// <param name="Signature">The device Signature key: signs the request manifest.</param>
/// <param name="Encryption">The device Encryption key: opens ticket grants and responses encrypted to the device.</param>
public sealed record DeviceCredential(DareEnvelope ProfileDevice, SignatureKeyPair Signature, AgreementKeyPair Encryption);

/// <summary>What Profile mode adds for an account: its address, its UDF and the device's connection assertion.</summary>
/// <param name="ConnectionDevice">ConnectionDevice signed by the account's AdministratorSignature key.</param>
public sealed record AccountCredential(string AccountAddress, string AccountUdf, DareEnvelope ConnectionDevice);

/// <summary>
/// Makes the request authentication of each mode for a service that answered <paramref name="hello"/>
/// (its ProfileService UDF is the audience of every manifest). The implementations of the modes live
/// in Mesh.Client.Transport (docs/decisions/0005-request-authentication.md); this seam is what the
/// account lifecycle and the sync engine ask for, so they do not depend on how a mode is built.
/// </summary>
public interface IMeshAuthenticator
{
    /// <summary>Device mode: BindAccount (the account is not bound yet, so no connection can be checked).</summary>
    IMeshRequestAuthentication Device(DeviceCredential device, HelloResult hello);

    /// <summary>Profile mode (or Ticket after a profile exchange): every transaction on a bound account.</summary>
    IMeshRequestAuthentication Profile(DeviceCredential device, AccountCredential account, HelloResult hello);
}
