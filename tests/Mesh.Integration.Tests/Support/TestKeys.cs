using System.Security.Cryptography;

namespace Mesh.Integration.Tests.Support;

internal static class TestKeys
{
    /// <summary>A fresh key-encryption key in its configuration form (32 random bytes, base64).</summary>
    public static string NewKeyEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
