namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// One sampled object the <see cref="HeapSurvivalAnalyzer"/> follows through GCs. Mutable: a GC moves it
/// (<see cref="Address"/>) and promotes it (<see cref="Generation"/>).
/// </summary>
internal sealed class TrackedObject(ulong address, int groupId, string typeName, long size, double weight, int generation, long allocationEpoch)
{
    /// <summary>Where the object is now, as far as the events told.</summary>
    public ulong Address { get; set; } = address;

    public int GroupId { get; } = groupId;

    public string TypeName { get; } = typeName;

    public long Size { get; } = size;

    /// <summary>The bytes the sample stands for.</summary>
    public double Weight { get; } = weight;

    /// <summary>0, 1, 2, or <see cref="Generations.Large"/> / <see cref="Generations.Pinned"/>.</summary>
    public int Generation { get; set; } = generation;

    /// <summary>Whether <c>onReachedGen2</c> was already called for it (it is called once per object).</summary>
    public bool ReportedGen2 { get; set; }

    /// <summary>No longer tracked (dead, forgotten or replaced): lists that still hold it skip it.</summary>
    public bool Removed { get; set; }

    /// <summary>
    /// The tracker's epoch when the sample arrived: a GC only judges objects allocated before it started, so a sample
    /// that reaches us inside a GC's window (from another thread's buffer) is never taken for one of its dead.
    /// </summary>
    public long AllocationEpoch { get; } = allocationEpoch;
}
