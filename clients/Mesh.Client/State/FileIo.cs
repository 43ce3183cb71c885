namespace Mesh.Client.State;

/// <summary>File writes that never leave a half-written file and never widen permissions.</summary>
internal static class FileIo
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes to a temporary file beside <paramref name="path"/> then renames it over.</summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> data, bool secret = false)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Creates a new owner-only file; fails if it exists.</summary>
    public static void CreateSecret(string path, ReadOnlySpan<byte> data)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, options);
        stream.Write(data);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Refuses a secret file that others can read or write.</summary>
    public static void RequireOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnly & ~UnixFileMode.UserExecute) != 0)
            throw new MeshClientException($"{path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run chmod 600 on it");
    }

    public static void Append(string path, ReadOnlySpan<byte> data)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        stream.Write(data);
        stream.Flush(flushToDisk: true);
    }
}
