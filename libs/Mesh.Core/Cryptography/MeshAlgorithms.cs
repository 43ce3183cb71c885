namespace Mesh.Core.Cryptography;

/// <summary>
/// Algorithm identifiers as they appear in Mesh/JOSE headers and JWK "crv" fields
/// (draft-hallambaker-mesh-dare, JoseSchema). Key algorithms use the curve names; the DARE
/// "alg" header spells signature algorithms in upper case ("ED448"), so lookups ignore case.
/// </summary>
public static class MeshAlgorithms
{
    public const string Ed25519 = "Ed25519";
    public const string Ed448 = "Ed448";
    public const string X25519 = "X25519";
    public const string X448 = "X448";

    /// <summary>Signature "alg" values as the reference implementation writes them.</summary>
    public const string Ed25519Signature = "ED25519";
    public const string Ed448Signature = "ED448";

    public const string Sha2_256 = "S256";
    public const string Sha2_512 = "S512";
    public const string Sha3_256 = "S3256";
    public const string Sha3_512 = "S3512";

    public const string HmacSha2_256 = "HS256";
    public const string HmacSha2_512 = "HS512";

    public const string Aes256Cbc = "A256CBC";
    public const string Aes256KeyWrap = "A256KW";

    static readonly string[] KeyAlgorithms = [Ed25519, Ed448, X25519, X448];

    /// <summary>
    /// The canonical key algorithm name for <paramref name="name"/> ("ed448", "ED448" → "Ed448").
    /// </summary>
    public static string KeyAlgorithm(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var candidate in KeyAlgorithms)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)) return candidate;
        }
        throw new MeshCryptoException($"unknown key algorithm '{name}' (expected Ed25519, Ed448, X25519 or X448)");
    }
}
