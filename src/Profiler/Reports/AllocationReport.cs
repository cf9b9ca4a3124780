namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// The report of one session: what the JSON format serializes (see docs/report-format.md). Exact figures are
/// integers of bytes; estimates carry their 95% interval where one exists.
/// </summary>
public sealed record AllocationReport
{
    /// <summary>The schema version this build writes. Readers accept this version only.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public ToolReport Tool { get; init; } = new();

    public SessionReport Session { get; init; } = new();

    public IReadOnlyList<GroupReport> Groups { get; init; } = [];
}

public sealed record ToolReport
{
    public string Name { get; init; } = "dotnet-alloctrack";

    public string Version { get; init; } = typeof(ToolReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

public sealed record SessionReport
{
    /// <summary><c>attach</c>, <c>run</c> or <c>demo</c>.</summary>
    public string Mode { get; init; } = "attach";

    /// <summary>The traced process (the first one, when several were traced).</summary>
    public int TargetPid { get; init; }

    public string? RuntimeVersion { get; init; }

    /// <summary><c>randomized</c> (AllocationSampled), <c>tick</c> (GCAllocationTick, biased) or <c>none</c>.</summary>
    public string SamplingMode { get; init; } = "none";

    public bool TrackFrees { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>Why the session ended: <c>duration</c>, <c>stopped</c> (Ctrl+C, SIGTERM), <c>target-exited</c>.</summary>
    public string EndReason { get; init; } = "stopped";

    /// <summary>Events the runtime dropped because the session's buffer was full. Non-zero means figures are incomplete.</summary>
    public long EventsLost { get; init; }

    public long EventsProcessed { get; init; }

    /// <summary>
    /// Samples stamped with an activity id that the Grouping library did not set (TPL's, ActivityTracker's, an
    /// Activity's) and that nothing resolved to a group: pooled in the <c>(foreign activity)</c> row (id −2).
    /// </summary>
    public long ForeignActivitySamples { get; init; }

    /// <summary>Exit code of the command (run mode), when it exited.</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<ProcessReport> Processes { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What the groups are: <c>groups</c> (the Grouping library's), <c>requests</c> (ASP.NET Core endpoints) or <c>activities</c>.</summary>
    public string GroupBy { get; init; } = "groups";

    /// <summary>Why: asked for, or what <c>auto</c> found in the target.</summary>
    public string? GroupByReason { get; init; }
}

public sealed record ProcessReport
{
    public int ProcessId { get; init; }

    public string Name { get; init; } = string.Empty;

    public string? RuntimeVersion { get; init; }

    public string? CommandLine { get; init; }

    /// <summary>Whether this process was traced (run mode resumes the others untraced).</summary>
    public bool Traced { get; init; }

    /// <summary>Exact bytes the process allocated during the session, from the runtime's own counter; null when not measured.</summary>
    public long? AllocatedBytes { get; init; }

    /// <summary>
    /// The share of <see cref="AllocatedBytes"/> that the process's groups account for (exact bytes where measured, else
    /// estimates; the root and foreign-activity rows excluded), 0 to about 1; null when either side is missing.
    /// </summary>
    public double? GroupedShare { get; init; }
}

public sealed record GroupReport
{
    /// <summary>
    /// The group id in its process: <c>0</c> root; negative ids are pseudo-groups, never a group of the target:
    /// <c>-2</c> samples with a foreign activity id, <c>-3</c> groups beyond the tracked-group cap.
    /// </summary>
    public int Id { get; init; }

    public int ProcessId { get; init; }

    public string Name { get; init; } = string.Empty;

    public IReadOnlyList<TagReport> Tags { get; init; } = [];

    /// <summary>
    /// Exact bytes allocated in the group during the session: the target's latest cumulative total minus the total
    /// it had when the session started. Null when not measured (no totals received: a pseudo-group, or a target
    /// whose Grouping library publishes none).
    /// </summary>
    public long? AllocatedBytes { get; init; }

    /// <summary>
    /// How long before the session's end the totals behind <see cref="AllocatedBytes"/> were published (seconds); bytes
    /// allocated after them are missing from the exact figure. Null when not measured.
    /// </summary>
    public double? ExactAgeSeconds { get; init; }

    /// <summary>Estimated bytes from allocation samples.</summary>
    public long EstimatedBytes { get; init; }

    /// <summary>Low end of the 95% interval; null when the sampling mode gives none (tick).</summary>
    public long? EstimatedBytesLow { get; init; }

    public long? EstimatedBytesHigh { get; init; }

    public long Samples { get; init; }

    public IReadOnlyList<TypeReport> Types { get; init; } = [];

    /// <summary>Estimated bytes of sampled objects found dead (with --track-frees).</summary>
    public long? FreedBytes { get; init; }

    /// <summary>Estimated bytes of sampled objects still alive at the end (with --track-frees).</summary>
    public long? LiveBytes { get; init; }

    public long? LiveBytesLow { get; init; }

    public long? LiveBytesHigh { get; init; }

    /// <summary>Estimated bytes of sampled objects that reached generation 2 (with --track-frees).</summary>
    public long? Gen2Bytes { get; init; }

    /// <summary>The top allocating call paths (with --stacks), most estimated bytes first; null without stacks.</summary>
    public IReadOnlyList<CallPathReport>? CallPaths { get; init; }
}

/// <summary>One managed call path and what the samples taken on it stand for.</summary>
/// <param name="Frames">Leaf first: the allocating method, then its callers.</param>
public sealed record CallPathReport(IReadOnlyList<FrameReport> Frames, long EstimatedBytes, long Samples);

/// <summary>A resolved frame: <c>Namespace.Type.Method</c> and the module (assembly file name) it lives in.</summary>
public sealed record FrameReport(string Method, string? Module);

public sealed record TagReport(string Key, string Value);

public sealed record TypeReport(string Name, long EstimatedBytes, long Samples);
