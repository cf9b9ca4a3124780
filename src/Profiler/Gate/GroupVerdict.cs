namespace TrackingProfiler.Profiler.Gate;

/// <summary>The outcome for one group.</summary>
public enum VerdictStatus
{
    Pass,
    Fail,
    New,
    Gone,
}

/// <summary>One row of the gate's table: a group, what it was compared with, and why it passed or failed.</summary>
/// <param name="Measure"><c>exact</c>, <c>estimate</c> (compared on its interval), or <c>live</c>.</param>
public sealed record GroupVerdict(
    string Name,
    VerdictStatus Status,
    string Measure,
    long? Baseline,
    long? Current,
    string Limit,
    string Reason)
{
    public long? Change => Baseline is long b && Current is long c ? c - b : null;

    public double? ChangePercent => Baseline is long b && b > 0 && Current is long c ? (c - b) * 100.0 / b : null;
}
