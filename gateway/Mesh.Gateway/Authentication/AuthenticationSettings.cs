using System.Globalization;
using Mesh.Core;
using Mesh.Core.Protocol;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Gateway.Authentication;

/// <summary>The gateway's authentication settings (ADR 0005), read once from configuration.</summary>
public sealed class AuthenticationSettings : IDisposable
{
    public AuthenticationSettings(IConfiguration configuration)
    {
        Window = TimeSpan.FromSeconds(ReadSeconds(configuration, ConfigKeys.AuthenticationWindowSeconds, (int)RequestVerifier.DefaultWindow.TotalSeconds));
        TicketLifetime = TimeSpan.FromSeconds(ReadSeconds(configuration, ConfigKeys.TicketLifetimeSeconds, 3600));
        var keys = configuration.GetRequired(ConfigKeys.TicketKeys);
        try
        {
            TicketKeys = TicketKeyRing.Parse(keys);
        }
        catch (MeshException e)
        {
            throw new MeshConfigurationException($"Configuration '{ConfigKeys.TicketKeys}' is not a list of 32-byte base64 keys: {e.Message}");
        }
    }

    /// <summary>Tolerance on Created either side of the clock; replay rows live twice as long.</summary>
    public TimeSpan Window { get; }

    public TimeSpan TicketLifetime { get; }

    public TicketKeyRing TicketKeys { get; }

    private static int ReadSeconds(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new MeshConfigurationException($"Configuration '{key}' = '{value}' is not a positive number of seconds.");
    }

    public void Dispose() => TicketKeys.Dispose();
}
