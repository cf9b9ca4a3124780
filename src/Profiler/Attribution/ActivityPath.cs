using System.Buffers.Binary;
using System.Text;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Reads the hierarchical EventSource activity ids that the runtime's ActivityTracker creates for Start/Stop events
/// (System.Diagnostics.Tracing.ActivityTracker.ActivityInfo). The first 12 bytes hold the path of numbers from the
/// root activity to this one, packed in nibbles; the last 4 a checksum mixed with the process id. An activity started
/// inside another gets its parent's path plus one number, so an id created anywhere under a request starts with the
/// request's path. Same text form as TraceEvent's <c>StartStopActivityComputer.ActivityPathString</c>: <c>/1/2/</c>;
/// ids that ran out of room are "overflow" ids (<c>$</c> separator) that say nothing about nesting.
/// </summary>
public static class ActivityPath
{
    private const uint LastImmediateValue = 0xA;
    private const uint PrefixCode = 0xB;
    private const uint MultiByte1 = 0xC;

    /// <summary>
    /// Whether <paramref name="id"/> has the ActivityTracker's checksum. Without the target's process id (it may live in
    /// another pid namespace) only the checksum's upper 12 bits can be compared, as TraceEvent does for process id 0.
    /// </summary>
    public static bool IsActivityPath(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        uint sum = unchecked(BinaryPrimitives.ReadUInt32LittleEndian(bytes) + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..])
            + BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) + 0x599D99AD);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        return (sum & 0xFFF00000) == (stored & 0xFFF00000);
    }

    /// <summary>The path of an ActivityTracker id (<c>//1/2/</c>), or null when the id is not one (foreign, TPL task ids, empty).</summary>
    public static string? TryDecode(Guid id)
    {
        if (id == Guid.Empty || !IsActivityPath(id))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        var text = new StringBuilder(24);
        int at = 0;
        const int end = 12;
        while (at < end)
        {
            uint nibble = (uint)(bytes[at] >> 4);
            bool secondNibble = false;
            char separator = '/';
        NextNibble:
            if (nibble == 0)
            {
                break;
            }

            if (nibble <= LastImmediateValue)
            {
                text.Append('/').Append(nibble);
                if (!secondNibble)
                {
                    nibble = (uint)(bytes[at] & 0xF);
                    secondNibble = true;
                    goto NextNibble;
                }

                at++;
                continue;
            }

            if (nibble == PrefixCode)
            {
                // An overflow id: a dense number with no nesting, written with '$'.
                if (!secondNibble)
                {
                    nibble = (uint)(bytes[at] & 0xF);
                }
                else
                {
                    at++;
                    if (at >= end)
                    {
                        break;
                    }

                    nibble = (uint)(bytes[at] >> 4);
                }

                if (nibble < MultiByte1)
                {
                    return null;
                }

                separator = '$';
            }

            // A multi-byte number: 1 to 4 little-endian bytes, and on a high nibble the low nibble holds its top 4 bits.
            uint count = nibble - MultiByte1 + 1;
            uint value = secondNibble ? 0 : (uint)(bytes[at] & 0xF);
            at++;
            if (at + count > end)
            {
                break;
            }

            for (int i = (int)count - 1; i >= 0; i--)
            {
                value = (value << 8) + bytes[at + i];
            }

            text.Append(separator).Append(value);
            at += (int)count;
        }

        text.Append('/');
        return text.ToString();
    }

    /// <summary>The path of the activity that created this one (<c>/1/2/</c> → <c>/1/</c>), or null at the top or for overflow ids.</summary>
    public static string? Parent(string path)
    {
        if (path.Contains('$', StringComparison.Ordinal))
        {
            return null;
        }

        int last = path.LastIndexOf('/', path.Length - 2);
        return last <= 0 ? null : path[..(last + 1)];
    }
}
