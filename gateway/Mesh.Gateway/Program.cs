using Mesh.ServiceDefaults;

namespace Mesh.Gateway;

// A named class rather than top-level statements, so tests can host the gateway by its own Program type.
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddGateway();

        var app = builder.Build();
        app.MapGateway();
        app.Run();
    }
}
