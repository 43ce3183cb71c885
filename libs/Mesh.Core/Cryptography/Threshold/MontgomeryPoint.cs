using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// An affine point (u, v) on a Montgomery curve v² = u³ + A·u² + u. Threshold combination needs
/// both coordinates: plain X25519/X448 only carry u.
/// </summary>
public readonly record struct MontgomeryPoint(BigInteger U, BigInteger V)
{
    /// <summary>Sign bit of the extended encoding (draft-hallambaker-threshold §Point Encoding).</summary>
    public bool VIsOdd => !V.IsEven;
}

/// <summary>
/// The four projective values the Montgomery ladder ends with: (x_2 : z_2) is k·P and
/// (x_3 : z_3) is (k+1)·P. The threshold draft prints them as test vector intermediates.
/// </summary>
public readonly record struct LadderResult(BigInteger X2, BigInteger Z2, BigInteger X3, BigInteger Z3);
