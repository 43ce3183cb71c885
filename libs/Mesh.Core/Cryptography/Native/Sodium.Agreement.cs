using System.Runtime.InteropServices;

namespace Mesh.Core.Cryptography.Native;

/// <summary>X25519 (crypto_scalarmult_*) from libsodium.</summary>
internal static partial class Sodium
{
    internal const int X25519Bytes = 32;

    [LibraryImport(Library)]
    internal static unsafe partial int crypto_scalarmult_base(byte* q, byte* n);

    [LibraryImport(Library)]
    internal static unsafe partial int crypto_scalarmult(byte* q, byte* n, byte* p);
}
