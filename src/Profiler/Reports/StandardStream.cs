namespace TrackingProfiler.Profiler.Reports;

/// <summary>Which of the tool's own standard streams an output path names, if any.</summary>
public enum StandardStream
{
    None,
    Output,
    Error,
}
