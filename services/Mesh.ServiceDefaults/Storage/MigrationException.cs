namespace Mesh.ServiceDefaults.Storage;

/// <summary>A migration cannot be applied: a malformed file name, or a file changed after it was applied.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
