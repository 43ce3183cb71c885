using System.Text.Json.Serialization;

namespace Mesh.Core.Schema;

/// <summary>Root of every schema object; an object travels as <c>{"MeshTag":{...}}</c> where its type varies.</summary>
public abstract class MeshItem
{
    /// <summary>The type tag this object is written under (the seed -09 spelling).</summary>
    [JsonIgnore]
    public string MeshTag => MeshSchemaTags.TagOf(GetType());
}
