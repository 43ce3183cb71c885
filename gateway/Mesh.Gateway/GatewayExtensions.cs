using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mesh.Gateway.Authentication;
using Mesh.Gateway.Dispatch;
using Mesh.Gateway.HostKey;
using Mesh.ServiceDefaults;
using Mesh.ServiceDefaults.Health;
using Mesh.ServiceDefaults.Security;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;
using Mesh.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Gateway;

/// <summary>
/// The gateway's wiring. The Mesh binding (/.well-known/mmm: envelope parsing, authentication,
/// dispatch to the services) registers in <see cref="AddGateway"/> and maps in <see cref="MapGateway"/>.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>
    /// HTTPS on <see cref="ConfigKeys.HttpsPort"/> (TLS 1.3 only, HTTP/1.1 and HTTP/2) with the PEM
    /// certificate and key from configuration; plain HTTP/1.1 on <see cref="ConfigKeys.HttpPort"/> only
    /// when that key is set.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            var certificate = LoadCertificate(configuration);
            kestrel.ListenOnConfiguredAddress(configuration,
                configuration.GetPort(ConfigKeys.HttpsPort, MeshServices.GatewayDefaultHttpsPort), listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        https.SslProtocols = SslProtocols.Tls13;
                    });
                });
            if (!string.IsNullOrWhiteSpace(configuration[ConfigKeys.HttpPort]))
                kestrel.ListenOnConfiguredAddress(configuration, configuration.GetPort(ConfigKeys.HttpPort, 0),
                    listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(provider => KeyEncryptionKey.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<GatewayBackends>();
        builder.Services.AddSingleton<HelloCache>();
        builder.Services.AddSingleton<HostCredentialProvider>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<HostCredentialProvider>());
        builder.Services.AddHealthChecks().AddCheck<HostCredentialProvider>("host-credential", tags: [HealthTags.Ready]);
        builder.Services.AddMeshStorage(MeshServices.Gateway, Migration.FromAssembly(typeof(GatewayExtensions).Assembly));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuthenticationSettings>();
        builder.Services.AddSingleton<AccountDirectory>();
        builder.Services.AddSingleton<ReplayTable>();
        builder.Services.AddHostedService<ReplayTablePruner>();
        builder.Services.AddSingleton<RequestAuthenticator>();
        builder.Services.AddSingleton<MeshEndpoint>();
        return builder;
    }

    /// <summary>Maps the gateway's endpoints: the health probes and the Mesh binding at /.well-known/mmm (and below it).</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        var endpoint = app.Services.GetRequiredService<MeshEndpoint>();
        app.Map(MeshEndpoint.Path, endpoint.HandleAsync);
        app.Map(MeshEndpoint.Path + "/{**rest}", endpoint.HandleAsync);
        return app;
    }

    private static X509Certificate2 LoadCertificate(IConfiguration configuration)
    {
        var certificatePath = configuration.GetRequired(ConfigKeys.TlsCertificatePath);
        var keyPath = configuration.GetRequired(ConfigKeys.TlsKeyPath);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new MeshConfigurationException(
                $"The TLS certificate '{certificatePath}' with key '{keyPath}' cannot be loaded: {ex.Message}");
        }
    }
}
