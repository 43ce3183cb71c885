using System.Text;
using Mesh.Core.Json;

namespace Mesh.Core.Tests.Json;

public class Base64UrlTests
{
    [Fact]
    public void Canonical_and_lenient_spellings_of_the_same_bytes_decode_alike()
    {
        var random = new Random(20261125);
        for (var length = 0; length < 200; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var canonical = Base64Url.Encode(data);
            var standard = Convert.ToBase64String(data);
            // The reference encoder breaks long strings with a line break and spaces.
            var wrapped = string.Join("\n    ", canonical.Chunk(16).Select(c => new string(c)));

            Assert.Equal(data, Base64Url.Decode(Encoding.ASCII.GetBytes(canonical)));
            Assert.Equal(data, Base64Url.Decode(Encoding.ASCII.GetBytes(standard)));
            Assert.Equal(data, Base64Url.Decode(Encoding.ASCII.GetBytes(wrapped)));
        }
    }

    [Theory]
    [InlineData("QUJD*", "invalid character 0x2A")]
    [InlineData("QUJDR", "dangling final character")]
    [InlineData("QQ==QQ", "continues after its padding")]
    public void Text_that_is_not_base64_is_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<MeshFormatException>(() => Base64Url.Decode(Encoding.ASCII.GetBytes(text)));
        Assert.Contains(reason, error.Message);
    }
}
