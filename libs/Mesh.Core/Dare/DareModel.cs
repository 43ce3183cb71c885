using System.Text.Json;

namespace Mesh.Core.Dare;

/// <summary>Fields a class does not model are kept so a re-encoded header loses nothing.</summary>
public abstract class DareObject
{
    public Dictionary<string, JsonElement> Extensions { get; } = new(StringComparer.Ordinal);

    private protected void ReadExtensions(JsonElement obj, IReadOnlySet<string> known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name)) Extensions[property.Name] = property.Value.Clone();
        }
    }

    private protected void WriteExtensions(Utf8JsonWriter writer)
    {
        foreach (var (name, value) in Extensions)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    private protected static HashSet<string> Names(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A signature over a digest (the payload digest, or the apex of a sequence).</summary>
public sealed class DareSignature : DareObject
{
    static readonly HashSet<string> Known = Names("alg", "kid", "signature", "dig", "Manifest", "witness", "WitnessValue");

    /// <summary>Signature algorithm: ED25519, ED448. The seed's Hello profiles carry the digest id (S512) here.</summary>
    public string? Algorithm { get; set; }
    public string? KeyIdentifier { get; set; }
    public byte[]? SignatureValue { get; set; }
    public string? DigestAlgorithm { get; set; }
    public byte[]? Manifest { get; set; }
    public byte[]? WitnessValue { get; set; }

    internal static DareSignature Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "DARE signature");
        var s = new DareSignature
        {
            Algorithm = DareJson.GetString(obj, "alg"),
            KeyIdentifier = DareJson.GetString(obj, "kid"),
            SignatureValue = DareJson.GetBinary(obj, "signature"),
            DigestAlgorithm = DareJson.GetString(obj, "dig"),
            Manifest = DareJson.GetBinary(obj, "Manifest"),
            WitnessValue = DareJson.GetBinary(obj, "witness"),
        };
        s.ReadExtensions(obj, Known);
        return s;
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        DareJson.WriteString(writer, "alg", Algorithm);
        DareJson.WriteString(writer, "kid", KeyIdentifier);
        DareJson.WriteString(writer, "dig", DigestAlgorithm);
        DareJson.WriteBinary(writer, "Manifest", Manifest);
        DareJson.WriteBinary(writer, "witness", WitnessValue);
        DareJson.WriteBinary(writer, "signature", SignatureValue);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }
}

/// <summary>One recipient's key exchange: ephemeral public key and the wrapped master key.</summary>
public sealed class DareRecipient : DareObject
{
    static readonly HashSet<string> Known = Names("kid", "kwd", "epk", "wmk", "rkd");

    public string? KeyIdentifier { get; set; }
    public string? KeyWrapDerivation { get; set; }
    /// <summary>Ephemeral key as <c>{"PublicKeyECDH":{"crv":..,"Public":..}}</c>.</summary>
    public string? EphemeralCurve { get; set; }
    public byte[]? EphemeralPublic { get; set; }
    public byte[]? WrappedMasterKey { get; set; }

    internal static DareRecipient Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "DARE recipient");
        var r = new DareRecipient
        {
            KeyIdentifier = DareJson.GetString(obj, "kid"),
            KeyWrapDerivation = DareJson.GetString(obj, "kwd"),
            WrappedMasterKey = DareJson.GetBinary(obj, "wmk"),
        };
        if (DareJson.GetObject(obj, "epk") is { } epk)
        {
            var ecdh = DareJson.GetObject(epk, "PublicKeyECDH")
                ?? throw new MeshFormatException("DARE recipient 'epk' must hold a PublicKeyECDH");
            r.EphemeralCurve = DareJson.GetString(ecdh, "crv");
            r.EphemeralPublic = DareJson.GetBinary(ecdh, "Public");
        }
        r.ReadExtensions(obj, Known);
        return r;
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        DareJson.WriteString(writer, "kid", KeyIdentifier);
        DareJson.WriteString(writer, "kwd", KeyWrapDerivation);
        if (EphemeralPublic is not null)
        {
            writer.WriteStartObject("epk");
            writer.WriteStartObject("PublicKeyECDH");
            DareJson.WriteString(writer, "crv", EphemeralCurve);
            DareJson.WriteBinary(writer, "Public", EphemeralPublic);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        DareJson.WriteBinary(writer, "wmk", WrappedMasterKey);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }
}

/// <summary>Where a frame sits in a sequence (first frame also names the sequence type).</summary>
public sealed class SequenceInfo : DareObject
{
    static readonly HashSet<string> Known = Names("DataEncoding", "ContainerType", "Index", "TreePosition", "IndexPosition", "ExchangePosition");

    public string? DataEncoding { get; set; }
    public string? ContainerType { get; set; }
    public long? Index { get; set; }
    public long? TreePosition { get; set; }
    public long? IndexPosition { get; set; }
    public long? ExchangePosition { get; set; }

    internal static SequenceInfo Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "SequenceInfo");
        var s = new SequenceInfo
        {
            DataEncoding = DareJson.GetString(obj, "DataEncoding"),
            ContainerType = DareJson.GetString(obj, "ContainerType"),
            Index = DareJson.GetInteger(obj, "Index"),
            TreePosition = DareJson.GetInteger(obj, "TreePosition"),
            IndexPosition = DareJson.GetInteger(obj, "IndexPosition"),
            ExchangePosition = DareJson.GetInteger(obj, "ExchangePosition"),
        };
        s.ReadExtensions(obj, Known);
        return s;
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        DareJson.WriteString(writer, "DataEncoding", DataEncoding);
        DareJson.WriteString(writer, "ContainerType", ContainerType);
        DareJson.WriteInteger(writer, "Index", Index);
        DareJson.WriteInteger(writer, "TreePosition", TreePosition);
        DareJson.WriteInteger(writer, "IndexPosition", IndexPosition);
        DareJson.WriteInteger(writer, "ExchangePosition", ExchangePosition);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }
}

/// <summary>
/// Integrity fields that may appear in a header or a trailer (the schema's DareSignatureHeader
/// and DareTrailer).
/// </summary>
public class DareTrailer : DareObject
{
    static readonly HashSet<string> Known = Names("signatures", "SequenceSignatures", "WitnessValue", "PayloadTag",
        "PayloadDigest", "ChainDigest", "ApexDigest", "TreeDigest");

    public List<DareSignature>? Signatures { get; set; }
    public List<DareSignature>? SequenceSignatures { get; set; }
    public byte[]? WitnessValue { get; set; }
    public byte[]? PayloadTag { get; set; }
    public byte[]? PayloadDigest { get; set; }
    public byte[]? ChainDigest { get; set; }
    /// <summary>The Merkle tree apex after this frame (older texts call it TreeDigest).</summary>
    public byte[]? ApexDigest { get; set; }

    private protected virtual IReadOnlySet<string> KnownNames => Known;

    private protected void ReadTrailerFields(JsonElement obj)
    {
        Signatures = DareJson.GetArray(obj, "signatures", DareSignature.Read);
        SequenceSignatures = DareJson.GetArray(obj, "SequenceSignatures", DareSignature.Read);
        WitnessValue = DareJson.GetBinary(obj, "WitnessValue");
        PayloadTag = DareJson.GetBinary(obj, "PayloadTag");
        PayloadDigest = DareJson.GetBinary(obj, "PayloadDigest");
        ChainDigest = DareJson.GetBinary(obj, "ChainDigest");
        ApexDigest = DareJson.GetBinary(obj, "ApexDigest") ?? DareJson.GetBinary(obj, "TreeDigest");
    }

    private protected void WriteTrailerFields(Utf8JsonWriter writer)
    {
        WriteSignatures(writer, "signatures", Signatures);
        WriteSignatures(writer, "SequenceSignatures", SequenceSignatures);
        DareJson.WriteBinary(writer, "WitnessValue", WitnessValue);
        DareJson.WriteBinary(writer, "PayloadTag", PayloadTag);
        DareJson.WriteBinary(writer, "PayloadDigest", PayloadDigest);
        DareJson.WriteBinary(writer, "ChainDigest", ChainDigest);
        DareJson.WriteBinary(writer, "ApexDigest", ApexDigest);
    }

    static void WriteSignatures(Utf8JsonWriter writer, string name, List<DareSignature>? list)
    {
        if (list is null) return;
        writer.WriteStartArray(name);
        foreach (var s in list) s.Write(writer);
        writer.WriteEndArray();
    }

    public static DareTrailer Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "DARE trailer");
        var t = new DareTrailer();
        t.ReadTrailerFields(obj);
        t.ReadExtensions(obj, Known);
        return t;
    }

    public virtual void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteTrailerFields(writer);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }

    public byte[] ToJson() => DareJson.ToUtf8(Write);

    public static DareTrailer FromJson(ReadOnlySpan<byte> utf8) => Read(DareJson.ParseDocument(utf8, "DARE trailer"));
}

/// <summary>
/// The envelope header. Any trailer field may also appear here (the schema's DareHeader inherits
/// DareTrailer); the names on the wire are those of the DARE schema and its examples.
/// </summary>
public sealed class DareHeader : DareTrailer
{
    static readonly HashSet<string> Known = Names("signatures", "SequenceSignatures", "WitnessValue", "PayloadTag",
        "PayloadDigest", "ChainDigest", "ApexDigest", "TreeDigest",
        "EnvelopeId", "enc", "kid", "Salt", "Malt", "cloaked", "annotations", "recipients", "policy",
        "ContentMetaData", "SequenceInfo", "Received", "dig", "cty");

    public string? EnvelopeId { get; set; }
    public string? EncryptionAlgorithm { get; set; }
    /// <summary>Identifier of the master key (base seed) the payload is encrypted under.</summary>
    public string? KeyIdentifier { get; set; }
    public byte[]? Salt { get; set; }
    public byte[]? Malt { get; set; }
    public byte[]? Cloaked { get; set; }
    public List<byte[]>? Annotations { get; set; }
    public List<DareRecipient>? Recipients { get; set; }
    /// <summary>The sequence policy, kept as JSON: only its presence in frame 0 matters to this layer.</summary>
    public JsonElement? Policy { get; set; }
    public byte[]? ContentMetaData { get; set; }
    public SequenceInfo? SequenceInfo { get; set; }
    public string? Received { get; set; }
    public string? DigestAlgorithm { get; set; }
    public string? ContentType { get; set; }

    private protected override IReadOnlySet<string> KnownNames => Known;

    public static new DareHeader Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "DARE header");
        var h = new DareHeader
        {
            EnvelopeId = DareJson.GetString(obj, "EnvelopeId"),
            EncryptionAlgorithm = DareJson.GetString(obj, "enc"),
            KeyIdentifier = DareJson.GetString(obj, "kid"),
            Salt = DareJson.GetBinary(obj, "Salt"),
            Malt = DareJson.GetBinary(obj, "Malt"),
            Cloaked = DareJson.GetBinary(obj, "cloaked"),
            Annotations = DareJson.GetArray(obj, "annotations", e =>
                e.ValueKind == JsonValueKind.String ? DareJson.DecodeBase64Url(e.GetString()!, "annotations")
                : throw new MeshFormatException("DARE field 'annotations' must hold strings")),
            Recipients = DareJson.GetArray(obj, "recipients", DareRecipient.Read),
            Policy = DareJson.GetObject(obj, "policy"),
            ContentMetaData = DareJson.GetBinary(obj, "ContentMetaData"),
            Received = DareJson.GetString(obj, "Received"),
            DigestAlgorithm = DareJson.GetString(obj, "dig"),
            ContentType = DareJson.GetString(obj, "cty"),
        };
        if (DareJson.GetObject(obj, "SequenceInfo") is { } info) h.SequenceInfo = SequenceInfo.Read(info);
        h.ReadTrailerFields(obj);
        h.ReadExtensions(obj, Known);
        return h;
    }

    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        DareJson.WriteString(writer, "EnvelopeId", EnvelopeId);
        DareJson.WriteString(writer, "enc", EncryptionAlgorithm);
        DareJson.WriteString(writer, "kid", KeyIdentifier);
        DareJson.WriteBinary(writer, "Salt", Salt);
        DareJson.WriteBinary(writer, "Malt", Malt);
        DareJson.WriteBinary(writer, "cloaked", Cloaked);
        if (Annotations is not null)
        {
            writer.WriteStartArray("annotations");
            foreach (var a in Annotations) writer.WriteStringValue(DareJson.EncodeBase64Url(a));
            writer.WriteEndArray();
        }
        if (Recipients is not null)
        {
            writer.WriteStartArray("recipients");
            foreach (var r in Recipients) r.Write(writer);
            writer.WriteEndArray();
        }
        DareJson.WriteRaw(writer, "policy", Policy);
        DareJson.WriteString(writer, "cty", ContentType);
        DareJson.WriteBinary(writer, "ContentMetaData", ContentMetaData);
        if (SequenceInfo is not null)
        {
            writer.WritePropertyName("SequenceInfo");
            SequenceInfo.Write(writer);
        }
        DareJson.WriteString(writer, "Received", Received);
        DareJson.WriteString(writer, "dig", DigestAlgorithm);
        WriteTrailerFields(writer);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }

    public static new DareHeader FromJson(ReadOnlySpan<byte> utf8) => Read(DareJson.ParseDocument(utf8, "DARE header"));
}
