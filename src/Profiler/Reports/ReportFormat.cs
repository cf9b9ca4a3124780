namespace TrackingProfiler.Profiler.Reports;

/// <summary>Output formats of <c>attach</c>, <c>run</c> and <c>demo</c> (docs/report-format.md); each has one writer in Writers/.</summary>
public enum ReportFormat
{
    Table,
    Json,
    Markdown,
    Csv,

    /// <summary>speedscope's JSON file format: one sampled profile per group, weights in estimated bytes.</summary>
    Speedscope,

    /// <summary>pprof's gzipped profile.proto (binary: needs -o).</summary>
    Pprof,

    /// <summary>One self-contained HTML page: the table and a searchable flame graph per group.</summary>
    Html,
}
