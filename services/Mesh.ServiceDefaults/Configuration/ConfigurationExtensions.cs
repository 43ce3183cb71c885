using Microsoft.Extensions.Configuration;

namespace Mesh.ServiceDefaults.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>The value of <paramref name="key"/>, or a <see cref="MeshConfigurationException"/> naming it.</summary>
    public static string GetRequired(this IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? throw MeshConfigurationException.Missing(key) : value;
    }

    /// <summary>A TCP port from <paramref name="key"/>, or <paramref name="fallback"/> when the key is absent.</summary>
    public static int GetPort(this IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return int.TryParse(value, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new MeshConfigurationException($"Configuration '{key}' = '{value}' is not a TCP port (0-65535).");
    }
}
