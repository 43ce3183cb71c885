using System.Collections;
using System.Text;

namespace Grpc.Core;

/// <summary>
/// Custom headers or trailers of a call. Keys are lower-case ASCII; keys ending in "-bin" carry
/// bytes (base64 on the wire), all others carry printable ASCII text.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    public const string BinaryHeaderSuffix = "-bin";

    public static readonly Metadata Empty = new Metadata().Freeze();

    readonly List<Entry> entries = [];
    bool readOnly;

    public Metadata Freeze()
    {
        readOnly = true;
        return this;
    }

    public Entry? Get(string key)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].KeyEquals(key)) return entries[i];
        }
        return null;
    }

    public string? GetValue(string key)
    {
        var entry = Get(key);
        if (entry is { IsBinary: true }) throw new InvalidOperationException($"Metadata key '{key}' is binary; use GetValueBytes.");
        return entry?.Value;
    }

    public byte[]? GetValueBytes(string key)
    {
        var entry = Get(key);
        if (entry is { IsBinary: false }) throw new InvalidOperationException($"Metadata key '{key}' is not binary; use GetValue.");
        return entry?.ValueBytes;
    }

    public IEnumerable<Entry> GetAll(string key) => entries.Where(e => e.KeyEquals(key));

    public void Add(string key, string value) => Add(new Entry(key, value));

    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    public void Add(Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWriteable();
        entries.Add(item);
    }

    public int Count => entries.Count;

    public bool IsReadOnly => readOnly;

    public Entry this[int index]
    {
        get => entries[index];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckWriteable();
            entries[index] = value;
        }
    }

    public int IndexOf(Entry item) => entries.IndexOf(item);

    public void Insert(int index, Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWriteable();
        entries.Insert(index, item);
    }

    public void RemoveAt(int index)
    {
        CheckWriteable();
        entries.RemoveAt(index);
    }

    public void Clear()
    {
        CheckWriteable();
        entries.Clear();
    }

    public bool Contains(Entry item) => entries.Contains(item);

    public void CopyTo(Entry[] array, int arrayIndex) => entries.CopyTo(array, arrayIndex);

    public bool Remove(Entry item)
    {
        CheckWriteable();
        return entries.Remove(item);
    }

    public IEnumerator<Entry> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => entries.GetEnumerator();

    void CheckWriteable()
    {
        if (readOnly) throw new InvalidOperationException("Metadata is read-only.");
    }

    /// <summary>One key and its text or binary value.</summary>
    public sealed class Entry
    {
        readonly string? value;
        readonly byte[]? valueBytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (HasBinarySuffix(Key)) throw new ArgumentException($"Metadata key '{Key}' ends in '-bin' and needs a binary value.", nameof(key));
            ArgumentNullException.ThrowIfNull(value);
            foreach (var c in value)
            {
                // Text values are printable ASCII (gRPC over HTTP/2, "ASCII-Value").
                if (c < 0x20 || c > 0x7E) throw new ArgumentException($"Metadata value of '{Key}' has a character outside printable ASCII.", nameof(value));
            }
            this.value = value;
        }

        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!HasBinarySuffix(Key)) throw new ArgumentException($"Metadata key '{Key}' needs the '-bin' suffix to carry a binary value.", nameof(key));
            ArgumentNullException.ThrowIfNull(valueBytes);
            this.valueBytes = (byte[])valueBytes.Clone();
        }

        public string Key { get; }

        public bool IsBinary => valueBytes is not null;

        public string Value => value ?? throw new InvalidOperationException($"Metadata entry '{Key}' is binary; use ValueBytes.");

        public byte[] ValueBytes => valueBytes is not null
            ? (byte[])valueBytes.Clone()
            : Encoding.ASCII.GetBytes(value!);

        internal bool KeyEquals(string key) => string.Equals(Key, key, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => IsBinary
            ? $"[Entry: key={Key}, valueBytes={Convert.ToBase64String(valueBytes!)}]"
            : $"[Entry: key={Key}, value={value}]";

        static bool HasBinarySuffix(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.Ordinal);

        static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var normalized = key.ToLowerInvariant();
            foreach (var c in normalized)
            {
                // Header-Name = 1*( %x30-39 / %x61-7A / "_" / "-" / ".") in the gRPC HTTP/2 spec.
                var ok = c is >= '0' and <= '9' or >= 'a' and <= 'z' or '_' or '-' or '.';
                if (!ok) throw new ArgumentException($"Metadata key '{key}' has a character other than 0-9 a-z _ - .", nameof(key));
            }
            return normalized;
        }
    }
}
