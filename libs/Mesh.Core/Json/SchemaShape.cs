using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mesh.Core.Schema;

namespace Mesh.Core.Json;

/// <summary>
/// What the schema says a JSON value is, read from the source-generated metadata: which strings
/// are binary, which objects are tagged, which arrays are envelopes. Lets the JSON → JSON-B
/// transcoder write binary fields as JSON-B binary without building objects.
/// </summary>
public static class SchemaShape
{
    public enum Kind : byte { Untyped, Binary, Object, Tagged, Envelope, Array }

    public sealed class Value
    {
        public static readonly Value Untyped = new(Kind.Untyped, null, null);
        public static readonly Value Binary = new(Kind.Binary, null, null);
        public static readonly Value Tagged = new(Kind.Tagged, null, null);
        public static readonly Value Envelope = new(Kind.Envelope, null, null);

        Value(Kind kind, Type? type, Value? element)
        {
            Kind = kind;
            Type = type;
            Element = element;
        }

        public Kind Kind { get; }

        public Type? Type { get; }

        public Value? Element { get; }

        public static Value ObjectOf(Type type) => new(Kind.Object, type, null);

        public static Value ArrayOf(Value element) => new(Kind.Array, null, element);
    }

    static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Value>> Fields = new();

    /// <summary>The fields of a schema class by their JSON names.</summary>
    public static IReadOnlyDictionary<string, Value> FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    {
        var info = MeshJson.Options.GetTypeInfo(t);
        var map = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var p in info.Properties) map[p.Name] = Describe(p.PropertyType, p.CustomConverter);
        return map;
    });

    static Value Describe(Type type, System.Text.Json.Serialization.JsonConverter? custom)
    {
        if (custom is ITaggedConverter tagged) return tagged.IsList ? Value.ArrayOf(Value.Tagged) : Value.Tagged;
        if (type == typeof(byte[])) return Value.Binary;
        if (type == typeof(Enveloped)) return Value.Envelope;
        if (typeof(MeshItem).IsAssignableFrom(type)) return Value.ObjectOf(type);
        if (type == typeof(string) || type.IsValueType) return Value.Untyped;
        var info = MeshJson.Options.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element) return Value.ArrayOf(Describe(element, null));
        return Value.Untyped;
    }

    /// <summary>Follows a token stream down the schema.</summary>
    public sealed class Walker(Value root)
    {
        struct Frame
        {
            public Kind Kind;
            public IReadOnlyDictionary<string, Value>? Fields;
            public Value? Element;
            public int Index;
            public Value Pending;
            public string? Name;
        }

        readonly Stack<Frame> _frames = new();
        bool _rootUsed;

        public string FieldName => _frames.Count > 0 && _frames.Peek().Name is { } n ? n : "(root)";

        Value Next()
        {
            if (_frames.Count == 0)
            {
                if (_rootUsed) return Value.Untyped;
                _rootUsed = true;
                return root;
            }
            var f = _frames.Pop();
            Value v;
            switch (f.Kind)
            {
                case Kind.Object:
                case Kind.Tagged:
                    v = f.Pending;
                    f.Pending = Value.Untyped;
                    break;
                case Kind.Array:
                    v = f.Element ?? Value.Untyped;
                    break;
                case Kind.Envelope:
                    v = f.Index == 1 ? Value.Binary : Value.Untyped;
                    f.Index++;
                    break;
                default:
                    v = Value.Untyped;
                    break;
            }
            _frames.Push(f);
            return v;
        }

        public void StartObject()
        {
            var v = Next();
            _frames.Push(v.Kind switch
            {
                Kind.Object => new Frame { Kind = Kind.Object, Fields = FieldsOf(v.Type!), Pending = Value.Untyped },
                Kind.Tagged => new Frame { Kind = Kind.Tagged, Pending = Value.Untyped },
                _ => new Frame { Kind = Kind.Untyped, Pending = Value.Untyped },
            });
        }

        public void StartArray()
        {
            var v = Next();
            _frames.Push(v.Kind switch
            {
                Kind.Array => new Frame { Kind = Kind.Array, Element = v.Element, Pending = Value.Untyped },
                Kind.Envelope => new Frame { Kind = Kind.Envelope, Pending = Value.Untyped },
                _ => new Frame { Kind = Kind.Untyped, Pending = Value.Untyped },
            });
        }

        public void End()
        {
            if (_frames.Count > 0) _frames.Pop();
        }

        public void Name(ReadOnlySpan<byte> utf8)
        {
            if (_frames.Count == 0) return;
            var f = _frames.Pop();
            var name = System.Text.Encoding.UTF8.GetString(utf8);
            f.Name = name;
            f.Pending = f.Kind switch
            {
                Kind.Object => f.Fields!.TryGetValue(name, out var v) ? v : Value.Untyped,
                Kind.Tagged => MeshSchemaTags.TryGetType(name, out var t) ? Value.ObjectOf(t) : Value.Untyped,
                _ => Value.Untyped,
            };
            _frames.Push(f);
        }

        public bool NextValueIsBinary() => Next().Kind == Kind.Binary;

        public void Scalar() => Next();
    }
}
