using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>
/// A report's figures for one group name. Groups are compared by name because ids follow registration order and
/// differ between runs; rows with the same name (several processes, or a name registered twice) are summed.
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
                    g.Sum(x => x.AllocatedBytes ?? 0),
                    g.Sum(x => x.EstimatedBytes),
                    g.All(x => x.EstimatedBytesLow is not null) ? g.Sum(x => x.EstimatedBytesLow!.Value) : null,
                    g.All(x => x.EstimatedBytesHigh is not null) ? g.Sum(x => x.EstimatedBytesHigh!.Value) : null,
                    g.Sum(x => x.Samples),
                    g.All(x => x.LiveBytes is not null) ? g.Sum(x => x.LiveBytes!.Value) : null,
                    g.All(x => x.LiveBytesLow is not null) ? g.Sum(x => x.LiveBytesLow!.Value) : null),
                StringComparer.Ordinal);
}
