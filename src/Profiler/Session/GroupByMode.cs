namespace TrackingProfiler.Profiler.Session;

/// <summary>What the report's groups are (<c>--group-by</c>).</summary>
public enum GroupByMode
{
    /// <summary>Groups when the target uses the Grouping library, else requests when ASP.NET Core is there, else activities.</summary>
    Auto,

    /// <summary>The Grouping library's groups (exact bytes and estimates).</summary>
    Groups,

    /// <summary>One group per ASP.NET Core endpoint, from the hosting events and activity ids (estimates only).</summary>
    Requests,

    /// <summary>One group per Activity operation name of the chosen ActivitySources (estimates only).</summary>
    Activities,
}
