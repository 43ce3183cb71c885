using System.Reflection;
using System.Runtime.InteropServices;

namespace Mesh.Core.Cryptography.Native;

/// <summary>
/// libsodium through P/Invoke (Debian's libsodium23). Declarations live in partial files by
/// purpose; this one loads the library and initialises it once.
/// </summary>
internal static partial class Sodium
{
    internal const string Library = "libsodium";

    static Sodium()
    {
        NativeLibrary.SetDllImportResolver(typeof(Sodium).Assembly, Resolve);
        if (sodium_init() < 0)
        {
            throw new MeshCryptoException("libsodium failed to initialise");
        }
    }

    /// <summary>Touching this runs the static constructor before the first native call.</summary>
    internal static void EnsureInitialized() { }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in new[] { "libsodium", "libsodium.so.23", "libsodium.so" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        }
        throw new DllNotFoundException("libsodium not found: install the Debian package libsodium23");
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();
}
