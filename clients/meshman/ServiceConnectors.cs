using Mesh.Client;
using Mesh.Client.Sync;
using Mesh.Core.Protocol;

namespace Meshman;

/// <summary>How meshman reaches Mesh services when nothing else is given: DARE over HTTP.</summary>
public static class ServiceConnectors
{
    /// <summary>Payload encoding of requests after Hello: json (default), json-b or json-c.</summary>
    public const string EncodingVariable = "MESH_ENCODING";

    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static IMeshConnector Default => new HttpMeshConnector(Http, MediaType(Environment.GetEnvironmentVariable(EncodingVariable)));

    public static MeshMediaType MediaType(string? name) =>
        string.IsNullOrWhiteSpace(name) ? MeshMediaType.Json
        : MeshMediaType.FromName(name.Trim())
          ?? throw new MeshClientException($"{EncodingVariable}='{name}' is not an encoding: use json, json-b or json-c");
}
