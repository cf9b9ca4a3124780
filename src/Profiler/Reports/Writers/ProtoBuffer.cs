namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// The few protobuf wire-format encodings profile.proto needs (varint, length-delimited, packed varints): small
/// enough to write by hand rather than take a protobuf runtime and generated code as dependencies.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A MemoryStream holds no unmanaged resource; disposing it frees nothing.")]
internal sealed class ProtoBuffer
{
    private const int VarintType = 0;
    private const int LengthDelimitedType = 2;

    private readonly MemoryStream _bytes = new();

    public long Length => _bytes.Length;

    public void Varint(int field, ulong value)
    {
        Tag(field, VarintType);
        Raw(value);
    }

    /// <summary>An int64 field (two's complement as a 64-bit varint, as protobuf encodes negative int64s).</summary>
    public void Int64(int field, long value) => Varint(field, unchecked((ulong)value));

    /// <summary>A non-zero int64 field: proto3 leaves default values out.</summary>
    public void Int64IfSet(int field, long value)
    {
        if (value != 0)
        {
            Int64(field, value);
        }
    }

    public void String(int field, string value) => Bytes(field, ReportWriters.Utf8.GetBytes(value));

    public void Message(int field, ProtoBuffer message) => Bytes(field, message._bytes.GetBuffer().AsSpan(0, (int)message._bytes.Length));

    /// <summary>A packed repeated varint field (<c>repeated uint64/int64</c>): one length, then the values.</summary>
    public void Packed(int field, IEnumerable<long> values)
    {
        var packed = new ProtoBuffer();
        foreach (long value in values)
        {
            packed.Raw(unchecked((ulong)value));
        }

        if (packed.Length > 0)
        {
            Message(field, packed);
        }
    }

    public void WriteTo(Stream output) => _bytes.WriteTo(output);

    private void Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, LengthDelimitedType);
        Raw((ulong)bytes.Length);
        _bytes.Write(bytes);
    }

    private void Tag(int field, int wireType) => Raw(((ulong)field << 3) | (uint)wireType);

    private void Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.WriteByte((byte)value);
    }
}
