using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Schema;

public class ContainerUpdateTests
{
    [Theory]
    [InlineData(MeshEncoding.Json)]
    [InlineData(MeshEncoding.JsonB)]
    [InlineData(MeshEncoding.JsonC)]
    public void The_PageKey_of_a_partial_update_survives_every_encoding(MeshEncoding encoding)
    {
        var response = new DownloadResponse
        {
            Status = 200,
            Updates = [new ContainerUpdate { Container = "Credential", Index = 7, Partial = true, PageKey = "eyJzIjoiQ3JlZGVudGlhbCIsImkiOjN9" }],
        };

        var read = (DownloadResponse)MeshJson.Deserialize<MeshResponse>(MeshJson.Serialize(response, encoding));

        var update = Assert.Single(read.Updates!);
        Assert.Equal("eyJzIjoiQ3JlZGVudGlhbCIsImkiOjN9", update.PageKey);
        Assert.True(update.Partial);
    }
}
