using System.Runtime.InteropServices;

namespace Mesh.Core.Cryptography.Native;

/// <summary>
/// Ed25519 group arithmetic of libsodium (point add/sub, unclamped scalar multiplication and
/// scalar arithmetic modulo L) for threshold key combination and threshold signatures.
/// Points are 32-byte RFC 8032 encodings, scalars 32-byte little-endian integers.
/// </summary>
internal static partial class Sodium
{
    [LibraryImport(Library)]
    internal static partial int crypto_core_ed25519_is_valid_point(ReadOnlySpan<byte> p);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ed25519_add(Span<byte> r, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ed25519_sub(Span<byte> r, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ed25519_noclamp(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ed25519_base_noclamp(Span<byte> q, ReadOnlySpan<byte> n);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_add(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_sub(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_mul(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    /// <summary>Reduces a 64-byte little-endian integer modulo L into 32 bytes.</summary>
    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_reduce(Span<byte> r, ReadOnlySpan<byte> s);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ed25519_scalar_invert(Span<byte> recip, ReadOnlySpan<byte> s);
}
