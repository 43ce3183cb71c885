using System.Reflection;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Infra.Tests;

/// <summary>The environment-variable forms of every key in <see cref="ConfigKeys"/>, read by reflection.</summary>
internal static class ConfigKeyNames
{
    public static IReadOnlySet<string> EnvironmentVariables { get; } = typeof(ConfigKeys)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => ConfigKeys.ToEnvironmentVariable((string)f.GetRawConstantValue()!))
        .ToHashSet();

    public static string Env(string key) => ConfigKeys.ToEnvironmentVariable(key);
}
