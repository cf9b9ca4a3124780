using System.Runtime.InteropServices;

namespace TrackingProfiler.Grouping.Accounting;

/// <summary>
/// One thread's accounting state: its last counter reading and its per-group byte sums. Only the owning thread
/// writes; readers (totals, <see cref="AllocationGroupToken.AllocatedBytes"/>) only read, so the hot path takes no lock.
/// </summary>
/// <remarks>
/// The hot fields sit in the middle of a 192-byte object, so that no other object's bytes share their cache line,
/// whatever the GC packs next to it; the sums array has unused padding at its end for the same reason.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class ThreadCounters
{
    // Longs of padding after the last usable slot of a sums array: 64 bytes.
    private const int TailPadding = 8;

    /// <summary><c>GC.GetAllocatedBytesForCurrentThread()</c> at this thread's last group change while accounting was on.</summary>
    [FieldOffset(64)]
    public long LastReading;

    /// <summary>The accounting epoch <see cref="LastReading"/> belongs to; a reading of another epoch is never used.</summary>
    [FieldOffset(72)]
    public int Epoch;

    /// <summary>Whether this thread's EventSource activity id currently holds a group id set by the library.</summary>
    [FieldOffset(76)]
    public bool StampedActivityId;

    // Index = group id (0 = root). Replaced, never resized in place, by the owning thread only.
    [FieldOffset(80)]
    private long[] _sums;

    [FieldOffset(88)]
    private readonly Thread _owner;

    public ThreadCounters(Thread owner)
    {
        _owner = owner;
        _sums = new long[16 + TailPadding];
    }

    /// <summary>Whether the owning thread has ended: its sums are then final.</summary>
    public bool IsOwnerDead => !_owner.IsAlive;

    /// <summary>Adds bytes to a group. Called by the owning thread only.</summary>
    /// <returns>Whether the sums array had to grow (which allocated on this thread).</returns>
    public bool Add(int groupId, long bytes)
    {
        long[] sums = _sums;
        bool grew = false;
        if ((uint)groupId >= (uint)(sums.Length - TailPadding))
        {
            sums = Grow(sums, groupId);
            grew = true;
        }

        // Single writer: a plain add, published with a volatile write so readers on other cores see whole values.
        Volatile.Write(ref sums[groupId], sums[groupId] + bytes);
        return grew;
    }

    /// <summary>This thread's bytes for a group so far; safe from any thread.</summary>
    public long Read(int groupId)
    {
        long[] sums = Volatile.Read(ref _sums);
        return (uint)groupId < (uint)(sums.Length - TailPadding) ? Volatile.Read(ref sums[groupId]) : 0;
    }

    /// <summary>Adds this thread's sums into <paramref name="totals"/> (index = group id); safe from any thread.</summary>
    public void AddTo(long[] totals)
    {
        long[] sums = Volatile.Read(ref _sums);
        int count = Math.Min(totals.Length, sums.Length - TailPadding);
        for (int id = 0; id < count; id++)
        {
            totals[id] += Volatile.Read(ref sums[id]);
        }
    }

    private long[] Grow(long[] sums, int groupId)
    {
        int usable = Math.Max(groupId + 1, (sums.Length - TailPadding) * 2);
        var grown = new long[usable + TailPadding];
        Array.Copy(sums, grown, sums.Length - TailPadding);

        // Readers holding the old array see values that the new one also holds: totals never go backwards.
        Volatile.Write(ref _sums, grown);
        return grown;
    }
}
