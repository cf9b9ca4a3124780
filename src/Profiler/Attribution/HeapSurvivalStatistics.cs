namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Counters of the <see cref="HeapSurvivalAnalyzer"/>: how many sampled objects it follows and, above all, how many it
/// gave up on. Objects given up on (dropped, forgotten) are never reported freed, so their groups' live bytes err high.
/// </summary>
internal readonly record struct HeapSurvivalStatistics
{
    /// <summary>Sampled objects followed now.</summary>
    public int TrackedObjects { get; init; }

    /// <summary>Objects found dead (frees reported), including <see cref="ReplacedAtReusedAddress"/>.</summary>
    public long Frees { get; init; }

    /// <summary>Objects reported as having reached generation 2 (or survived a gen2 GC in the LOH/POH).</summary>
    public long ReachedGen2 { get; init; }

    /// <summary>GCs whose survivors were applied (blocking and background).</summary>
    public long GcsProcessed { get; init; }

    /// <summary>Background GCs among <see cref="GcsProcessed"/>.</summary>
    public long BackgroundGcs { get; init; }

    /// <summary>GCs that declared nothing dead: no ranges seen, ranges of unclear owner, never saw their start or end, or events lost.</summary>
    public long UncertainGcs { get; init; }

    /// <summary>Samples not tracked because <see cref="HeapSurvivalOptions.MaxTrackedObjects"/> was reached.</summary>
    public long DroppedAtCapacity { get; init; }

    /// <summary>Objects no longer followed because a GC that condemned them could not be trusted (they may have moved).</summary>
    public long Forgotten { get; init; }

    /// <summary>A new sample arrived at a tracked object's address: the old object had died unseen and was reported freed then.</summary>
    public long ReplacedAtReusedAddress { get; init; }

    /// <summary>Range events that arrived when no GC was in progress (ignored).</summary>
    public long OrphanRanges { get; init; }

    /// <summary>Samples without an address or size (not trackable).</summary>
    public long Untrackable { get; init; }

    /// <summary>Why the last uncertain GC declared nothing dead (for example "events lost during the GC"), or null.</summary>
    public string? LastUncertainReason { get; init; }
}
