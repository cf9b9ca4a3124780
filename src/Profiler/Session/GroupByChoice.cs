namespace TrackingProfiler.Profiler.Session;

/// <summary>The grouping a session uses and why, as the report states it (<c>session.groupBy</c>, <c>session.groupByReason</c>).</summary>
public sealed record GroupByChoice(GroupByMode Mode, string Reason)
{
    /// <summary>The report's spelling: <c>groups</c>, <c>requests</c>, <c>activities</c>.</summary>
    public string Name => Mode.ToString().ToLowerInvariant();

    /// <summary>Whether groups come from activity ids the runtime's ActivityTracker creates (requests, activities).</summary>
    public bool IsZeroCode => Mode is GroupByMode.Requests or GroupByMode.Activities;
}
