namespace TrackingProfiler.Profiler.Gate;

/// <summary>The outcome for one group.</summary>
public enum VerdictStatus
{
    Pass,
    Fail,
    New,
    Gone,
}

/// <summary>
/// One row of the gate's table: a group, what it was compared with, and why it passed or failed. Figures stay
/// numbers (bytes) here, so that JSON carries them as numbers; the renderer formats them.
/// </summary>
/// <param name="Measure"><c>exact</c>, <c>estimate</c> (compared on its interval), <c>estimate (low)</c>, <c>live</c> or <c>live (low)</c>.</param>
/// <param name="Rule">Which limit applied: <c>max-increase</c>, <c>max-allocated-bytes</c>, <c>max-live-bytes</c>, <c>fail-on-new</c>, or <c>none</c>.</param>
/// <param name="AllowedIncrease">For <c>max-increase</c>: the allowed growth over the baseline.</param>
/// <param name="LimitBytes">The largest value the group could have had and passed, in bytes; null when no limit applied.</param>
/// <param name="Reason">Why, in words (no figures: they are in the other fields).</param>
public sealed record GroupVerdict(
    string Name,
    VerdictStatus Status,
    string Measure,
    long? Baseline,
    long? Current,
    string Rule,
    Threshold? AllowedIncrease,
    long? LimitBytes,
    string Reason)
{
    public long? Change => Baseline is long b && Current is long c ? c - b : null;

    public double? ChangePercent => Baseline is long b && b > 0 && Current is long c ? (c - b) * 100.0 / b : null;
}
