namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The top call paths of a group, bounded for the table and Markdown: a few paths, a few frames each.</summary>
public static class CallPathLines
{
    public const int MaxPaths = 3;

    public const int MaxFrames = 4;

    public const int MaxFrameWidth = 60;

    /// <summary>Groups that have call paths, with their first <see cref="MaxPaths"/> paths.</summary>
    public static IEnumerable<(GroupReport Group, IReadOnlyList<CallPathReport> Paths)> Of(AllocationReport report) =>
        report.Groups
            .Where(g => g.CallPaths is { Count: > 0 })
            .Select(g => (g, (IReadOnlyList<CallPathReport>)[.. g.CallPaths!.Take(MaxPaths)]));

    /// <summary>The path leaf first, <c>Alloc ← Caller ← …</c>, each frame made safe by <paramref name="escape"/>.</summary>
    public static string Frames(CallPathReport path, Func<string, int, string> escape)
    {
        var shown = path.Frames.Take(MaxFrames).Select(f => escape(f.Method, MaxFrameWidth));
        string more = path.Frames.Count > MaxFrames ? $" ← … (+{path.Frames.Count - MaxFrames} frames)" : string.Empty;
        return string.Join(" ← ", shown) + more;
    }
}
