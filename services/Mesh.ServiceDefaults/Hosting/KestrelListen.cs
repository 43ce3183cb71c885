using System.Net;
using Mesh.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Mesh.ServiceDefaults.Hosting;

public static class KestrelListen
{
    /// <summary>Listens on <paramref name="port"/> at <see cref="ConfigKeys.BindAddress"/>, or on every address when it is absent.</summary>
    public static void ListenOnConfiguredAddress(this KestrelServerOptions kestrel, IConfiguration configuration, int port, Action<ListenOptions> configure)
    {
        var address = configuration[ConfigKeys.BindAddress];
        if (string.IsNullOrWhiteSpace(address))
        {
            kestrel.ListenAnyIP(port, configure);
            return;
        }
        if (!IPAddress.TryParse(address, out var ip))
            throw new MeshConfigurationException($"Configuration '{ConfigKeys.BindAddress}' = '{address}' is not an IP address.");
        kestrel.Listen(ip, port, configure);
    }
}
