namespace TrackingProfiler.Profiler.Attribution;

/// <summary>Limits of the <see cref="HeapSurvivalAnalyzer"/>.</summary>
internal sealed record HeapSurvivalOptions
{
    /// <summary>The default bound: at most ~83 MB of profiler memory (measured: 166 bytes per object with its own type-name string), and at one sample per ~100 KB a sampled live heap of ~50 GB.</summary>
    public const int DefaultMaxTrackedObjects = 500_000;

    /// <summary>
    /// How many sampled objects are followed at once. Samples beyond it are not tracked (counted in
    /// <see cref="HeapSurvivalStatistics.DroppedAtCapacity"/>): their bytes stay in the group's live bytes.
    /// </summary>
    public int MaxTrackedObjects { get; init; } = DefaultMaxTrackedObjects;
}
