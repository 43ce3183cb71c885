using System.Text.Json.Serialization;

namespace Mesh.Core.Schema;

/// <summary>
/// A field the schema of protocol -09 does not give ContainerUpdate: the key that continues a
/// Download cut short (<c>Partial</c>), sent back as <c>ConstraintsSelect.PageKey</c> (§10.4.2 gives
/// the request side only). Modelled here so it survives every encoding (docs/wire-binding.md).
/// </summary>
public partial class ContainerUpdate
{
    [JsonPropertyName("PageKey")]
    public string? PageKey { get; set; }
}
