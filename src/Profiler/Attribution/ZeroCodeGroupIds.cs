namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Ids of the groups the profiler makes itself from requests and Activities (<c>--group-by requests|activities</c>).
/// They live far above the Grouping library's ids (1, 2, … in registration order), so both kinds can share one report.
/// </summary>
public static class ZeroCodeGroupIds
{
    /// <summary>The first id given to a named request or Activity group.</summary>
    public const int First = 0x4000_0000;

    public static bool IsZeroCode(int id) => id >= First;
}
