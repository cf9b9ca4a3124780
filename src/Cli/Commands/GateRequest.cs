using TrackingProfiler.Profiler.Gate;

namespace TrackingProfiler.Cli.Commands;

/// <summary>The gate the command line asked for: what to compare with, how strictly, and what to do afterwards.</summary>
internal sealed record GateRequest(
    FileInfo? Baseline,
    FileInfo? Budget,
    Threshold MaxIncrease,
    bool FailOnNew,
    bool UpdateBaseline,
    bool AllowLostEvents)
{
    /// <summary>
    /// Whether a baseline is read: a baseline that does not exist yet is created by <c>--update-baseline</c>
    /// (the first run of a new gate).
    /// </summary>
    public bool ReadsBaseline => Baseline is not null && !(UpdateBaseline && !Baseline.Exists);
}
