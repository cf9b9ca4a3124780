namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Generation numbers as <c>GCGenerationRange</c> reports them: 0–2 for the small object heap, 3 for the large object
/// heap (LOH) and 4 for the pinned object heap (POH). LOH and POH are only collected by gen2 GCs.
/// </summary>
internal static class Generations
{
    public const int Large = 3;

    public const int Pinned = 4;

    /// <summary>The runtime's LOH threshold: arrays of at least this many bytes are allocated in the LOH.</summary>
    public const long LargeObjectThreshold = 85_000;

    /// <summary>Whether a GC that condemns generations 0..<paramref name="depth"/> collects <paramref name="generation"/>.</summary>
    public static bool IsCondemned(int generation, int depth) =>
        generation <= 2 ? generation <= depth : depth >= 2;

    /// <summary>The generation an object of <paramref name="generation"/> is in after surviving a GC, when no range says.</summary>
    public static int AfterSurvival(int generation) => generation >= Large ? generation : Math.Min(generation + 1, 2);

    /// <summary>Gen2, LOH and POH: memory kept long-term.</summary>
    public static bool IsOld(int generation) => generation >= 2;
}
