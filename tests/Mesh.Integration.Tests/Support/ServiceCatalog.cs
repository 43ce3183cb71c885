using System.Reflection;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests.Support;

/// <summary>The service assemblies by name, and the theory data that runs a test once per service.</summary>
internal static class ServiceCatalog
{
    public static TheoryData<string> Names => [.. MeshServices.All.Select(s => s.Name)];

    public static MeshService Get(string name) => MeshServices.All.Single(s => s.Name == name);

    public static Assembly AssemblyOf(string name) => Assemblies[name];

    private static readonly Dictionary<string, Assembly> Assemblies = new()
    {
        [MeshServices.Account.Name] = typeof(Mesh.Account.Program).Assembly,
        [MeshServices.Sync.Name] = typeof(Mesh.Sync.Program).Assembly,
        [MeshServices.Messaging.Name] = typeof(Mesh.Messaging.Program).Assembly,
        [MeshServices.Publication.Name] = typeof(Mesh.Publication.Program).Assembly,
        [MeshServices.Threshold.Name] = typeof(Mesh.Threshold.Program).Assembly,
    };
}
