namespace TrackingProfiler.Profiler.Attribution;

/// <summary>What attribution saw in a session, for the report's notes.</summary>
/// <param name="ForeignActivitySamples">Samples whose activity id was not the Grouping library's and no resolver claimed.</param>
/// <param name="GroupCapacity">Groups followed one by one.</param>
/// <param name="OverflowEvents">Events about groups beyond the cap (pooled into the overflow row).</param>
/// <param name="NewestTotalsMs">Stream time of the newest totals received; null when the target published none.</param>
/// <param name="StaleTotals">Totals that arrived after a larger one for the same group (ignored).</param>
/// <param name="Heap">Frees analysis, when frees are followed.</param>
internal sealed record AttributionStatistics(
    long ForeignActivitySamples,
    int GroupCapacity,
    long OverflowEvents,
    double? NewestTotalsMs,
    long StaleTotals,
    HeapSurvivalStatistics? Heap);
