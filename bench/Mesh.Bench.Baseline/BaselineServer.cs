using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Bench.Baseline;

/// <summary>
/// Bare Kestrel: no middleware, no logging, one endpoint that drains the request body and writes the
/// fixed response. Listener settings follow the gateway's (gateway/Mesh.Gateway/GatewayExtensions.cs).
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(BaselineOptions options)
    {
        var body = await File.ReadAllBytesAsync(options.BodyPath);
        var certificate = options.CertificatePath is null ? null : X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            if (certificate is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        https.SslProtocols = SslProtocols.Tls13;
                    });
                });
            }
        });
        var app = builder.Build();
        app.MapPost(options.Path, async context =>
        {
            // Read the request as the gateway must, then answer with the captured bytes.
            var reader = context.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) break;
            }
            var response = context.Response;
            response.StatusCode = options.StatusCode;
            response.ContentType = options.ContentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        });

        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var http = addresses.Select(a => new Uri(a)).Single(u => u.Scheme == Uri.UriSchemeHttp).Port;
        var https = addresses.Select(a => new Uri(a)).SingleOrDefault(u => u.Scheme == Uri.UriSchemeHttps)?.Port;
        // Written last and renamed into place, so the script never reads half a file.
        var temporary = options.ReadyFile + ".tmp";
        await File.WriteAllTextAsync(temporary, https is null ? $"http={http}\n" : $"http={http} https={https}\n");
        File.Move(temporary, options.ReadyFile, overwrite: true);
        await app.WaitForShutdownAsync();
    }
}
