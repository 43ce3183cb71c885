using Mesh.Core.Cryptography;

namespace Mesh.Account.Profiles;

/// <summary>One key of a service or host profile: where it sits in the profile and the key pair.</summary>
public sealed record ProfileKey(string Usage, string Udf, KeyPair Key);

/// <summary>The profile parts a key can play (field names of ProfileService and ProfileHost).</summary>
public static class KeyUsages
{
    public const string ProfileSignature = "ProfileSignature";
    public const string ServiceSignature = "ServiceSignature";
    public const string ServiceAuthentication = "ServiceAuthentication";
    public const string ServiceEncryption = "ServiceEncryption";
    public const string Signature = "Signature";
    public const string Encryption = "Encryption";
    public const string Authentication = "Authentication";
}
