namespace Mesh.Core.Json;

/// <summary>The lead bytes of JSON-B, JSON-C and JSON-D items (draft-hallambaker-jsonbcd Tables 1–4).</summary>
public static class JsonBTag
{
    public const byte StringTerm8 = 0x80, StringTerm16 = 0x81, StringTerm32 = 0x82, StringTerm64 = 0x83;
    public const byte StringChunk8 = 0x84, StringChunk16 = 0x85, StringChunk32 = 0x86, StringChunk64 = 0x87;
    public const byte DataTerm8 = 0x88, DataTerm16 = 0x89, DataTerm32 = 0x8A, DataTerm64 = 0x8B;
    public const byte DataChunk8 = 0x8C, DataChunk16 = 0x8D, DataChunk32 = 0x8E, DataChunk64 = 0x8F;

    public const byte Binary16 = 0x90, Binary32 = 0x91, Binary64 = 0x92;

    public const byte PositiveInt8 = 0xA0, PositiveInt16 = 0xA1, PositiveInt32 = 0xA2, PositiveInt64 = 0xA3;
    public const byte PositiveInt128 = 0xA4, PositiveInt256 = 0xA5, PositiveInt512 = 0xA6, PositiveBignum16 = 0xA7;
    public const byte NegativeInt8 = 0xA8, NegativeInt16 = 0xA9, NegativeInt32 = 0xAA, NegativeInt64 = 0xAB;
    public const byte NegativeInt128 = 0xAC, NegativeBignum16 = 0xAF;

    public const byte True = 0xB0, False = 0xB1, Null = 0xB2;

    public const byte TagCode8 = 0xC0, TagCode16 = 0xC1, TagCode32 = 0xC2;
    public const byte TagDefine8 = 0xC4, TagDefine16 = 0xC5, TagDefine32 = 0xC6;
    public const byte TagCodeDefine8 = 0xC8, TagCodeDefine16 = 0xC9, TagCodeDefine32 = 0xCA;
    public const byte TagDictionaryDefine8 = 0xCC, TagDictionaryDefine16 = 0xCD, TagDictionaryDefine32 = 0xCE;
    public const byte DictionaryHash = 0xD0;

    /// <summary>JBCD records and frames (xF0–xF7) wrap opaque blobs; they are not JSON data.</summary>
    public const byte FirstFrame = 0xF0;
}
