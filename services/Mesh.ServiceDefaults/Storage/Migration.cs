using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Mesh.ServiceDefaults.Storage;

/// <summary>
/// One SQL migration. The version is the file name without extension (0001_create_schema);
/// versions apply in ordinal order. The checksum detects a file edited after it was applied.
/// </summary>
public sealed partial record Migration(string Version, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>
    /// The embedded resources Migrations/NNNN_name.sql of <paramref name="assembly"/>, in order.
    /// </summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var prefix = assembly.GetName().Name + ".Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var version = resource[prefix.Length..^".sql".Length];
            if (!VersionPattern().IsMatch(version))
                throw new MigrationException($"Migration '{resource}' must be named NNNN_lower_case_words.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        return migrations;
    }

    [GeneratedRegex("^[0-9]{4}_[a-z0-9_]+$")]
    private static partial Regex VersionPattern();
}
