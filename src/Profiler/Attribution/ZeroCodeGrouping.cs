namespace TrackingProfiler.Profiler.Attribution;

/// <summary>Groups the profiler makes from what the runtime and frameworks already emit, with no code in the target.</summary>
public enum ZeroCodeGrouping
{
    /// <summary>One group per ASP.NET Core endpoint (method and route-like path).</summary>
    Requests,

    /// <summary>One group per Activity operation name; the innermost Activity wins.</summary>
    Activities,
}
