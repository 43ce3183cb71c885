using Mesh.Client.Sync;

namespace Meshman;

/// <summary>How meshman reaches Mesh services when nothing else is given: DARE over HTTP.</summary>
public static class ServiceConnectors
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static IMeshConnector Default => new HttpMeshConnector(Http);
}
