namespace Mesh.Core.Json;

/// <summary>Payload encodings of protocol -09 §5.4: JSON always, JSON-B and JSON-C when advertised.</summary>
public enum MeshEncoding
{
    Json,
    JsonB,
    JsonC,
}
