namespace TrackingProfiler.Profiler.Session;

/// <summary>Which runtime event samples allocations. Never both in one process: sampling silences ticks process-wide.</summary>
public enum SamplingMode
{
    /// <summary>Randomized on .NET 10+, tick before.</summary>
    Auto,

    /// <summary><c>AllocationSampled</c>: unbiased, with a confidence interval (.NET 10+).</summary>
    Randomized,

    /// <summary><c>GCAllocationTick</c>: every ~100 KB per heap; biased for periodic patterns.</summary>
    Tick,

    /// <summary>No samples: exact bytes per group only.</summary>
    None,
}
