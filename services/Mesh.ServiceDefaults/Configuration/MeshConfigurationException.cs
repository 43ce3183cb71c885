namespace Mesh.ServiceDefaults.Configuration;

/// <summary>A required configuration value is missing or unusable; the message names the key and its environment variable.</summary>
public sealed class MeshConfigurationException(string message) : Exception(message)
{
    public static MeshConfigurationException Missing(string key) =>
        new($"Configuration '{key}' is not set (environment variable {ConfigKeys.ToEnvironmentVariable(key)}).");
}
