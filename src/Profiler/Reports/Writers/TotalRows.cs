namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// The row under the groups that says what they are a part of: each traced process's exact allocated bytes from the
/// runtime's own counter (<see cref="ProcessReport.AllocatedBytes"/>), when it was measured.
/// </summary>
public static class TotalRows
{
    public const string Name = "(process total)";

    public static IEnumerable<ProcessReport> Of(AllocationReport report) =>
        report.Session.Processes.Where(p => p.Traced && p.AllocatedBytes is not null);

    /// <summary>The row's cell for <paramref name="column"/>: the PID, the name, the bytes; empty elsewhere.</summary>
    public static string Text(ReportColumn column, ProcessReport process) => column.CsvName switch
    {
        "processId" => ReportFigures.Raw(process.ProcessId),
        "name" => Name,
        "allocatedBytes" => ReportFigures.Size(process.AllocatedBytes),
        "estimatedBytes" when process.GroupedShare is double share => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{share:0.0%} in groups"),
        _ => string.Empty,
    };

    public static string Raw(ReportColumn column, ProcessReport process) => column.CsvName switch
    {
        "processId" => ReportFigures.Raw(process.ProcessId),
        "name" => Name,
        "allocatedBytes" => ReportFigures.Raw(process.AllocatedBytes),
        _ => string.Empty,
    };
}
