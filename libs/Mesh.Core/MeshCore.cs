namespace Mesh.Core;

/// <summary>Facts about this library that callers and tests print.</summary>
public static class MeshCore
{
    public const string ProtocolVersion = "3.0";
}
