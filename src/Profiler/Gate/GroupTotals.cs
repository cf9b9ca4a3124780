using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>
/// A report's figures for one group name. Groups are compared by name because ids follow registration order and
/// differ between runs; rows with the same name (several processes, or a name registered twice) are summed.
/// Sums saturate at <see cref="long.MaxValue"/>: <see cref="ReportJson"/> already refuses reports whose sums overflow,
/// and a gate must not end in an <see cref="OverflowException"/> whatever it is given.
/// </summary>
public sealed record GroupTotals(
    string Name,
    bool IsPseudoGroup,
    long AllocatedBytes,
    long EstimatedBytes,
    long? EstimatedLow,
    long? EstimatedHigh,
    long Samples,
    long? LiveBytes,
    long? LiveLow)
{
    /// <summary>Whether exact bytes exist for the group (else only the sampled estimate does).</summary>
    public bool HasExact => AllocatedBytes > 0 || Samples == 0;

    public static Dictionary<string, GroupTotals> From(AllocationReport report) =>
        report.Groups
            .GroupBy(g => g.Name, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new GroupTotals(
                    g.Key,
                    g.Any(x => x.Id <= 0),
                    Sum(g.Select(x => x.AllocatedBytes ?? 0)),
                    Sum(g.Select(x => x.EstimatedBytes)),
                    g.All(x => x.EstimatedBytesLow is not null) ? Sum(g.Select(x => x.EstimatedBytesLow!.Value)) : null,
                    g.All(x => x.EstimatedBytesHigh is not null) ? Sum(g.Select(x => x.EstimatedBytesHigh!.Value)) : null,
                    Sum(g.Select(x => x.Samples)),
                    g.All(x => x.LiveBytes is not null) ? Sum(g.Select(x => x.LiveBytes!.Value)) : null,
                    g.All(x => x.LiveBytesLow is not null) ? Sum(g.Select(x => x.LiveBytesLow!.Value)) : null),
                StringComparer.Ordinal);

    private static long Sum(IEnumerable<long> values)
    {
        long sum = 0;
        foreach (long value in values)
        {
            sum = value > 0 && sum > long.MaxValue - value ? long.MaxValue : value < 0 && sum < long.MinValue - value ? long.MinValue : sum + value;
        }

        return sum;
    }
}
