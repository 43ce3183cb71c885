using System.Runtime.InteropServices;

namespace Mesh.Core.Cryptography.Native;

/// <summary>Ed25519 (crypto_sign_*) from libsodium.</summary>
internal static partial class Sodium
{
    internal const int Ed25519SeedBytes = 32;
    internal const int Ed25519PublicKeyBytes = 32;
    internal const int Ed25519SecretKeyBytes = 64;
    internal const int Ed25519SignatureBytes = 64;

    [LibraryImport(Library)]
    internal static unsafe partial int crypto_sign_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(Library)]
    internal static unsafe partial int crypto_sign_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(Library)]
    internal static unsafe partial int crypto_sign_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
}
