using Mesh.ServiceDefaults;

namespace Mesh.Account;

// A named class rather than top-level statements, so tests can host each service by its own Program type.
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddAccountServices();

        var app = builder.Build();
        app.MapAccountServices();
        app.Run();
    }
}
