namespace TrackingProfiler.Profiler.Session;

/// <summary>How to trace a process.</summary>
public sealed record SessionOptions
{
    /// <summary>EventPipe buffer. 8 MB lost nothing at 140 K events/s; 64 MB leaves room for bursts.</summary>
    public int BufferSizeMB { get; init; } = 64;

    public SamplingMode Sampling { get; init; } = SamplingMode.Auto;

    /// <summary>Follow sampled objects through GCs to infer frees and live bytes.</summary>
    public bool TrackFrees { get; init; }

    /// <summary>Walk a stack for every event: 600–750 ns per event in the target, so off unless asked for.</summary>
    public bool Stacks { get; init; }

    /// <summary>
    /// How often the target publishes its per-group totals (ms). Exact figures are as of the latest publication: a
    /// stop waits one interval for it, but what a target writes while exiting never reaches the session, so a process
    /// that ends less than one interval after its last allocation loses those bytes from its exact figures (its
    /// estimates keep them). The process total is read at the same interval. 1 s: measured side by side
    /// (docs/performance.md), 250 ms cost the target 1–2% more throughput on two cores than 1 s; launched commands,
    /// whose exit cuts the last interval, ask for 100 ms.
    /// </summary>
    public int TotalsIntervalMs { get; init; } = DefaultTotalsIntervalMs;

    /// <summary>The profiler's interval; the library's own default (<see cref="EventContract.DefaultTotalsIntervalMs"/>) applies when no session says.</summary>
    public const int DefaultTotalsIntervalMs = 1000;
    /// <summary>Keep the raw event stream in this file (a <c>.nettrace</c> that <c>report</c> reads again); null: keep nothing.</summary>
    public string? SaveTracePath { get; init; }

    /// <summary>Call paths kept per group in reports (with stacks); the rest are summed in one entry.</summary>
    public int MaxCallPathsPerGroup { get; init; } = 500;

    /// <summary>Types kept per group in reports.</summary>
    public int MaxTypesPerGroup { get; init; } = 10;

    /// <summary>What the groups are: the Grouping library's, requests, Activities, or chosen from the target (auto).</summary>
    public GroupByMode GroupBy { get; init; } = GroupByMode.Auto;

    /// <summary>With <see cref="GroupByMode.Activities"/>: the ActivitySource names to follow; null or empty for all.</summary>
    public IReadOnlyList<string>? ActivitySources { get; init; }

    /// <summary>Distinct request or Activity groups at most; the rest share one overflow group (high-cardinality paths).</summary>
    public int MaxGroups { get; init; } = 200;
}
