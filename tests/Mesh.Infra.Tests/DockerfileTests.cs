using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Infra.Tests;

public sealed class DockerfileTests
{
    /// <summary>Each deployable's Dockerfile and the project it publishes.</summary>
    public static TheoryData<string, string> Deployables => new()
    {
        { MeshServices.Account.Name, "services/Mesh.Account/Mesh.Account.csproj" },
        { MeshServices.Sync.Name, "services/Mesh.Sync/Mesh.Sync.csproj" },
        { MeshServices.Messaging.Name, "services/Mesh.Messaging/Mesh.Messaging.csproj" },
        { MeshServices.Publication.Name, "services/Mesh.Publication/Mesh.Publication.csproj" },
        { MeshServices.Threshold.Name, "services/Mesh.Threshold/Mesh.Threshold.csproj" },
        { MeshServices.Gateway, "gateway/Mesh.Gateway/Mesh.Gateway.csproj" },
    };

    [Fact]
    public void Every_deployable_in_the_catalog_has_a_Dockerfile()
    {
        var names = MeshServices.All.Select(s => s.Name).Append(MeshServices.Gateway);
        var dockerfiles = Directory.GetFiles(Repository.PathOf("infra/docker"), "*.Dockerfile").Select(f => Path.GetFileName(f).Split('.')[0]);
        Assert.Equal(names.Order(), dockerfiles.Order());
        Assert.Equal(names.Order(), Deployables.Select(row => (string)row[0]).Order());
    }

    [Theory, MemberData(nameof(Deployables))]
    public void Dockerfile_publishes_its_project_with_the_SDK_and_runs_it_on_aspnet_with_libsodium(string name, string project)
    {
        Assert.True(File.Exists(Repository.PathOf(project)), $"{project} does not exist");
        var lines = Repository.Read($"infra/docker/{name}.Dockerfile").Split('\n');
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0"], stages);
        Assert.Contains($"RUN dotnet publish {project} -c Release -o /app --nologo", lines);
        Assert.Contains(lines, l => l.Contains("libsodium23", StringComparison.Ordinal));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{Path.GetFileNameWithoutExtension(project)}.dll\"]", lines);
    }

    [Fact]
    public void Docker_build_context_leaves_out_build_output_and_local_state()
    {
        var ignored = Repository.Read(".dockerignore").Split('\n');
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".state/", ignored);
    }
}
