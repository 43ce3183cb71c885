using Mesh.Core;

namespace Mesh.Client;

/// <summary>A client-side problem the user can act on: missing state, bad address, unreadable key file.</summary>
public class MeshClientException : MeshException
{
    public MeshClientException(string message) : base(message) { }

    public MeshClientException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The service could not be found (DNS, static map) or its DNS answer was malformed.</summary>
public sealed class MeshDiscoveryException : MeshClientException
{
    public MeshDiscoveryException(string message) : base(message) { }

    public MeshDiscoveryException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The service answered with an error status, an unverifiable response or not at all.</summary>
public sealed class MeshServiceException : MeshClientException
{
    public MeshServiceException(string message, long? status = null) : base(message) => Status = status;

    public MeshServiceException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The Mesh status of the response when one was read.</summary>
    public long? Status { get; }
}
