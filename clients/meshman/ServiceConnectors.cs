using Mesh.Client.Authentication;
using Mesh.Client.Sync;

namespace Meshman;

/// <summary>How meshman reaches Mesh services when nothing else is given: DARE over HTTP.</summary>
public static class ServiceConnectors
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// The request authentication of the Device and Profile modes (ADR 0005); they are built by
    /// Mesh.Client.Transport. Without one, only Hello can be sent.
    /// </summary>
    public static IMeshAuthenticator? Authenticator { get; set; }

    public static IMeshConnector Default => new HttpMeshConnector(Http, Authenticator);
}
