using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Mesh.Core.Schema;

public static partial class MeshSchemaTags
{
    static readonly FrozenDictionary<string, Type> ByTag = Build();
    static readonly FrozenDictionary<Type, string> ByType = BuildNames();

    public static IEnumerable<string> Tags => ByTag.Keys;

    public static bool TryGetType(string tag, [NotNullWhen(true)] out Type? type) => ByTag.TryGetValue(tag, out type);

    public static string TagOf(Type type) =>
        ByType.TryGetValue(type, out var tag) ? tag : throw new ArgumentException($"{type.Name} is not a Mesh schema type", nameof(type));
}
