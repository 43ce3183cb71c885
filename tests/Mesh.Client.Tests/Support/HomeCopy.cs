namespace Mesh.Client.Tests.Support;

/// <summary>Copies a home folder as `cp -a` does (README: a second home holding a copy of the device).</summary>
internal static class HomeCopy
{
    public static string To(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        foreach (var file in Directory.GetFiles(source))
        {
            var target = Path.Combine(destination, Path.GetFileName(file));
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        foreach (var directory in Directory.GetDirectories(source)) To(directory, Path.Combine(destination, Path.GetFileName(directory)));
        return destination;
    }
}
