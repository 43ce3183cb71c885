namespace Mesh.Core.Udf;

/// <summary>A parsed UDF: its type code and Binary Data Sequence (the octets after the type code).</summary>
public sealed class UdfValue
{
    internal UdfValue(UdfTypeCode type, byte[] data, int presentedBits)
    {
        Type = type;
        Data = data;
        PresentedBits = presentedBits;
    }

    public UdfTypeCode Type { get; }

    public UdfKind Kind => Type.Kind();

    /// <summary>The Binary Data Sequence (for a digest, its presented prefix).</summary>
    public byte[] Data { get; }

    /// <summary>Bits carried by the text, type code included (five per Base32 character).</summary>
    public int PresentedBits { get; }
}
