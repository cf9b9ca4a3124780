namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Ids of the groups the profiler makes itself from requests and Activities (<c>--group-by requests|activities</c>).
/// They live far above the Grouping library's ids (1, 2, … in registration order), so both kinds can share one report.
/// </summary>
public static class ZeroCodeGroupIds
{
    /// <summary>Samples with no activity id: allocated outside any request (or Activity) the session saw start.</summary>
    public const int Outside = 0x3FFF_FFFC;

    /// <summary>Samples with an activity id that belongs to no request or Activity the session saw start.</summary>
    public const int Unresolved = 0x3FFF_FFFD;

    /// <summary>Requests or Activities whose names came after the cap on distinct groups was reached.</summary>
    public const int Overflow = 0x3FFF_FFFE;

    /// <summary>The first id given to a named request or Activity group.</summary>
    public const int First = 0x4000_0000;

    public static bool IsZeroCode(int id) => id >= Outside;
}
