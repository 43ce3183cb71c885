namespace Mesh.Core.Tests;

/// <summary>Locates <c>../shared</c> (specs, seeds, vectors) beside the repository checkout.</summary>
public static class SharedFiles
{
    public static string Root { get; } = Find();

    public static string Vector(string name) => Path.Combine(Root, "vectors", "examples", name);

    public static string Seed(string name) => Path.Combine(Root, "seeds", name);

    public static string Spec(string name) => Path.Combine(Root, "specs", name);

    static string Find()
    {
        var env = Environment.GetEnvironmentVariable("MESH_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "vectors"))) return candidate;
        }
        throw new DirectoryNotFoundException("shared/ (specs, seeds, vectors) not found beside the checkout; set MESH_SHARED");
    }
}
