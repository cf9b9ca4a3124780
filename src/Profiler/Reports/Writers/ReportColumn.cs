namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// One column of the per-group table, in every tabular format at once: its heading and cell text for people (table,
/// Markdown) and its name and raw value for machines (CSV). A column without a heading is CSV-only (an interval
/// bound, a group id); one without a CSV name is text-only (the live view's rate).
/// </summary>
/// <param name="Heading">Table and Markdown heading; null: not shown to people.</param>
/// <param name="CsvName">CSV header; null: not in CSV.</param>
/// <param name="Shown">Whether people see it in this report (a PID column only when several processes were traced).</param>
/// <param name="Text">The cell for people, before the format's escaping.</param>
/// <param name="Raw">The CSV cell, before quoting.</param>
/// <param name="IsNumber">Right-aligned, and never treated as untrusted text.</param>
/// <param name="MaxWidth">The widest a cell is shown (text elements) in table and Markdown.</param>
public sealed record ReportColumn(
    string? Heading,
    string? CsvName,
    bool Shown,
    Func<GroupReport, string> Text,
    Func<GroupReport, string> Raw,
    bool IsNumber,
    int MaxWidth = DisplayText.MaxNameWidth);
