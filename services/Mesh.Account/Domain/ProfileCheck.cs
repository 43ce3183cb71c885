using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;

namespace Mesh.Account.Domain;

/// <summary>A ProfileUser that passed <see cref="ProfileCheck"/>: its envelope (JSON form), identity and administration key.</summary>
public sealed record CheckedProfile(ProfileUser Profile, byte[] Envelope, string AccountUdf, string AdministratorAlgorithm, byte[] AdministratorKey);

/// <summary>
/// The checks on the EnvelopedProfileAccount of a BindRequest: a plaintext envelope holding a
/// ProfileUser, signed by its own ProfileSignature key (kid = the key's UDF, which must be the
/// fingerprint of that key), with an AdministratorSignature key (ADR 0005: it signs connections,
/// Access entries and store apexes).
/// </summary>
public static class ProfileCheck
{
    public static CheckedProfile Check(Enveloped? enveloped)
    {
        if (enveloped is null) throw Malformed("BindRequest has no EnvelopedProfileAccount");
        DareEnvelope envelope;
        byte[] bytes;
        try
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(enveloped, MeshJson.Options);
            envelope = DareEnvelope.Decode(bytes);
        }
        catch (Exception e) when (e is MeshException or JsonException)
        {
            throw Malformed($"EnvelopedProfileAccount is not a DARE envelope: {e.Message}");
        }
        if (envelope.IsEncrypted) throw Malformed("EnvelopedProfileAccount is encrypted; the service must read the profile");

        ProfileUser profile;
        try
        {
            profile = MeshJson.Deserialize<ProfileUser>(envelope.Payload);
        }
        catch (Exception e) when (e is MeshException or JsonException or InvalidCastException or InvalidOperationException or NotSupportedException)
        {
            throw Malformed($"EnvelopedProfileAccount does not hold a ProfileUser: {e.Message}");
        }

        using var profileKey = SignatureKey(profile.ProfileSignature, "ProfileSignature");
        using var administrator = SignatureKey(profile.AdministratorSignature, "AdministratorSignature");
        var accountUdf = profile.ProfileSignature!.Udf!;
        var verifier = DareKeyPairs.Verifier(profileKey, accountUdf);
        var verification = envelope.Verify(s => s.KeyIdentifier == accountUdf ? verifier : null);
        if (!verification.IsValid)
            throw new AccountRequestException(AccountStatus.Forbidden, $"the ProfileUser is not validly signed by its ProfileSignature key {accountUdf}: {verification.Problem}");
        if (!verification.Signatures.Any(s => s.Valid && s.KeyIdentifier == accountUdf))
            throw new AccountRequestException(AccountStatus.Forbidden, $"the ProfileUser carries no signature by its ProfileSignature key {accountUdf}");
        return new CheckedProfile(profile, bytes, accountUdf, administrator.Algorithm, administrator.PublicKey.ToArray());
    }

    // The key a KeyData describes, when it is a signature key and its Udf is its fingerprint.
    static SignatureKeyPair SignatureKey(KeyData? data, string field)
    {
        if (data?.PublicParameters is not PublicKeyECDH { Curve: { } curve, Public: { } publicKey })
            throw Malformed($"the ProfileUser has no {field} key (PublicParameters.PublicKeyECDH)");
        KeyPair key;
        try
        {
            key = KeyPair.FromPublic(curve, publicKey);
        }
        catch (MeshException e)
        {
            throw Malformed($"the ProfileUser's {field} key is not usable: {e.Message}");
        }
        if (key is not SignatureKeyPair signature)
        {
            key.Dispose();
            throw Malformed($"the ProfileUser's {field} key is {curve}, not a signature key");
        }
        bool matches;
        try
        {
            matches = data.Udf is not null && Udf.MatchesContent(data.Udf, PublicKeyInfo.Encode(signature), UdfContentTypes.KeyInfo);
        }
        catch (MeshException)
        {
            matches = false;
        }
        if (!matches)
        {
            signature.Dispose();
            throw Malformed($"the ProfileUser's {field} Udf '{data.Udf}' is not the fingerprint of its key");
        }
        return signature;
    }

    static AccountRequestException Malformed(string description) => new(AccountStatus.BadRequest, description);
}
