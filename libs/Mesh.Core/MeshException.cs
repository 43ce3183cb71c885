namespace Mesh.Core;

/// <summary>Base of every error Mesh.Core reports about its input; the message names the problem.</summary>
public class MeshException : Exception
{
    public MeshException(string message) : base(message) { }

    public MeshException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Input that is not well formed: bad Base32, truncated JSON-B, malformed envelope.</summary>
public class MeshFormatException : MeshException
{
    public MeshFormatException(string message) : base(message) { }

    public MeshFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A cryptographic check failed or a key is unusable: bad signature, wrong key, MAC mismatch.</summary>
public class MeshCryptoException : MeshException
{
    public MeshCryptoException(string message) : base(message) { }

    public MeshCryptoException(string message, Exception inner) : base(message, inner) { }
}
