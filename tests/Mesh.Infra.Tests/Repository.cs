namespace Mesh.Infra.Tests;

/// <summary>Files of the repository these tests read, found from the test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.Services.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Mesh.Services.sln not found above {AppContext.BaseDirectory}.");
    }
}
