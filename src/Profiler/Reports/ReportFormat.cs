namespace TrackingProfiler.Profiler.Reports;

/// <summary>Output formats of <c>attach</c>, <c>run</c> and <c>check</c>.</summary>
public enum ReportFormat
{
    Table,
    Json,
    Markdown,
    Csv,
}
