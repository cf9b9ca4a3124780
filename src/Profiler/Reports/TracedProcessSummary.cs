using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// What one traced process's session gathered, as plain facts: the input of <see cref="ReportBuilder"/>. A session
/// copies them out without changing any state, so a report can be built at any time, as often as wanted.
/// </summary>
internal sealed record TracedProcessSummary
{
    public required ProcessReport Process { get; init; }

    /// <summary><c>randomized</c>, <c>tick</c> or <c>none</c>.</summary>
    public required string SamplingMode { get; init; }

    public bool TrackFrees { get; init; }

    public SessionStart Start { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; init; }

    /// <summary>How often the target was asked to publish its totals.</summary>
    public int TotalsIntervalMs { get; init; }

    public long EventsLost { get; init; }

    public long EventsProcessed { get; init; }

    public required AttributionStatistics Attribution { get; init; }

    public IReadOnlyList<GroupReport> Groups { get; init; } = [];

    /// <summary>Groups sampled after their last totals arrived: their exact figures provably miss bytes.</summary>
    public int GroupsSampledAfterTheirTotals { get; init; }

    /// <summary>What the groups are and why (<c>--group-by</c>).</summary>
    public GroupByChoice? GroupBy { get; init; }

    /// <summary>Notes on the grouping and the process total, made by the session that knows them.</summary>
    public IReadOnlyList<string> GroupingNotes { get; init; } = [];

    /// <summary>Notes of the session's own features (call paths, a saved trace), given as they are.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why event processing stopped early (a malformed stream, or the target dying mid-event), if it did.</summary>
    public string? ProcessingStoppedEarly { get; init; }
}
