using Mesh.Client.State;

namespace Mesh.Client.Tests;

/// <summary>A fresh home directory per test, removed afterwards.</summary>
public sealed class TempHome : IDisposable
{
    public TempHome() => Directory = System.IO.Directory.CreateTempSubdirectory("mesh-client-").FullName;

    public string Directory { get; }

    public MeshHome Open() => MeshHome.Open(Directory);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
