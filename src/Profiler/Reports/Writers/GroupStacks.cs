namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>One weighted stack of a group's profile: frames leaf first, what the samples on it stand for.</summary>
public sealed record WeightedStack(IReadOnlyList<FrameReport> Frames, long EstimatedBytes, long Samples);

/// <summary>
/// What the profile formats (speedscope, pprof, HTML flame graphs) draw for a group: its call paths when the report
/// has them (<c>--stacks</c>), else one frame per allocated type. Either way a last stack carries what the listed
/// paths or types leave out, so that a group's stacks add up to its estimated bytes.
/// </summary>
public static class GroupStacks
{
    /// <summary>The module named on frames that are allocated types, not methods.</summary>
    public const string TypeModule = "(allocated type)";

    public static bool HasCallPaths(AllocationReport report) => report.Groups.Any(g => g.CallPaths is { Count: > 0 });

    public static IReadOnlyList<WeightedStack> Of(GroupReport group)
    {
        var stacks = new List<WeightedStack>();
        if (group.CallPaths is { Count: > 0 } paths)
        {
            stacks.AddRange(paths.Select(p => new WeightedStack(p.Frames, p.EstimatedBytes, p.Samples)));
            AddRest(stacks, group, "(other call paths)");
        }
        else
        {
            stacks.AddRange(group.Types.Select(t => new WeightedStack([new FrameReport(t.Name, TypeModule)], t.EstimatedBytes, t.Samples)));
            AddRest(stacks, group, "(other types)");
        }

        return stacks;
    }

    private static void AddRest(List<WeightedStack> stacks, GroupReport group, string name)
    {
        long bytes = group.EstimatedBytes - stacks.Sum(s => s.EstimatedBytes);
        long samples = group.Samples - stacks.Sum(s => s.Samples);
        if (bytes > 0)
        {
            stacks.Add(new WeightedStack([new FrameReport(name, null)], bytes, Math.Max(0, samples)));
        }
    }
}
