using Mesh.ServiceDefaults;

namespace Mesh.Sync;

// A named class rather than top-level statements, so tests can host each service by its own Program type.
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddSyncServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSyncServices();
        app.Run();
    }
}
