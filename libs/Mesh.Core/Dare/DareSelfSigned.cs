using System.Text.Json;
using Mesh.Core.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// Profiles (ProfileService, ProfileHost, ...) are signed by the key their payload names in
/// ProfileSignature; its Udf is the envelope signature's kid.
/// </summary>
public static class DareSelfSigned
{
    /// <summary>The ProfileSignature key of the payload, or null when the payload is not a profile.</summary>
    public static (string Udf, SignatureKeyPair Key)? ProfileSignatureKey(DareEnvelope envelope)
    {
        if (envelope.IsEncrypted) return null;
        JsonElement root;
        try
        {
            root = DareJson.ParseDocument(JoinWrappedStrings(envelope.Payload), "profile payload");
        }
        catch (MeshFormatException)
        {
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object) return null;
        foreach (var outer in root.EnumerateObject())
        {
            if (outer.Value.ValueKind != JsonValueKind.Object) continue;
            if (DareJson.GetObject(outer.Value, "ProfileSignature") is not { } signature) continue;
            var udf = DareJson.GetString(signature, "Udf") ?? throw new MeshFormatException("ProfileSignature has no Udf");
            var ecdh = DareJson.GetObject(signature, "PublicParameters") is { } pp ? DareJson.GetObject(pp, "PublicKeyECDH") : null;
            if (ecdh is null) throw new MeshFormatException("ProfileSignature has no PublicParameters.PublicKeyECDH");
            var curve = DareJson.GetString(ecdh.Value, "crv") ?? throw new MeshFormatException("ProfileSignature key has no crv");
            var publicKey = DareJson.GetBinary(ecdh.Value, "Public") ?? throw new MeshFormatException("ProfileSignature key has no Public");
            if (KeyPair.FromPublic(curve, publicKey) is not SignatureKeyPair key)
                throw new MeshCryptoException($"ProfileSignature key is {curve}, not a signature key");
            return (udf, key);
        }
        return null;
    }

    /// <summary>Verifies a self-signed profile envelope against its own ProfileSignature key.</summary>
    public static DareVerification Verify(DareEnvelope envelope)
    {
        var found = ProfileSignatureKey(envelope) ?? throw new MeshFormatException("payload is not a profile with a ProfileSignature");
        using var key = found.Key;
        var verifier = DareKeyPairs.Verifier(key, found.Udf);
        return envelope.Verify(s => s.KeyIdentifier == found.Udf ? verifier : null);
    }

    /// <summary>The reference encoder breaks long strings with a newline and spaces; JSON forbids raw newlines in strings.</summary>
    internal static byte[] JoinWrappedStrings(ReadOnlySpan<byte> json)
    {
        var output = new List<byte>(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString && c == '\\' && i + 1 < json.Length)
            {
                output.Add(c);
                output.Add(json[++i]);
                continue;
            }
            if (c == '"') inString = !inString;
            if (inString && c is (byte)'\n' or (byte)'\r')
            {
                while (i + 1 < json.Length && json[i + 1] is (byte)' ' or (byte)'\n' or (byte)'\r') i++;
                continue;
            }
            output.Add(c);
        }
        return output.ToArray();
    }
}
