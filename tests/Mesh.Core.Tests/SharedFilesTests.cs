namespace Mesh.Core.Tests;

public class SharedFilesTests
{
    [Fact]
    public void Vectors_folder_is_found_beside_the_checkout()
    {
        Assert.True(File.Exists(SharedFiles.Vector("UDFDigest.md")));
    }
}
