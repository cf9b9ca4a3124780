namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The one list of per-group columns that the table, Markdown and CSV are all derived from.</summary>
public static class ReportColumns
{
    public const string AllocatedHeading = "Allocated (exact)";

    /// <summary>How many types the "Top types" cell names.</summary>
    public const int TopTypeCount = 3;

    public static IReadOnlyList<ReportColumn> For(AllocationReport report)
    {
        bool multiProcess = report.Groups.Select(g => g.ProcessId).Distinct().Count() > 1;
        bool tags = report.Groups.Any(g => g.Tags.Count > 0);
        bool frees = report.Session.TrackFrees || report.Groups.Any(g => g.LiveBytes is not null);
        return
        [
            new("PID", "processId", multiProcess, g => ReportFigures.Raw(g.ProcessId), g => ReportFigures.Raw(g.ProcessId), IsNumber: true),
            new(null, "groupId", false, g => ReportFigures.Raw(g.Id), g => ReportFigures.Raw(g.Id), IsNumber: true),
            new("Group", "name", true, g => g.Name, g => g.Name, IsNumber: false),
            new("Tags", "tags", tags, ReportFigures.Tags, ReportFigures.Tags, IsNumber: false, MaxWidth: 40),
            new(AllocatedHeading, "allocatedBytes", true, g => ReportFigures.Size(ReportFigures.ExactBytes(g)), g => ReportFigures.Raw(ReportFigures.ExactBytes(g)), IsNumber: true),
            new(null, "exactIntervals", false, g => ReportFigures.Raw(g.ExactIntervals), g => ReportFigures.Raw(g.ExactIntervals), IsNumber: true),
            new("Estimated (95% CI)", "estimatedBytes", true, ReportFigures.Estimate, g => ReportFigures.Raw(g.EstimatedBytes), IsNumber: true),
            new(null, "estimatedBytesLow", false, _ => string.Empty, g => ReportFigures.Raw(g.EstimatedBytesLow), IsNumber: true),
            new(null, "estimatedBytesHigh", false, _ => string.Empty, g => ReportFigures.Raw(g.EstimatedBytesHigh), IsNumber: true),
            new("Samples", "samples", true, g => ReportFigures.Count(g.Samples), g => ReportFigures.Raw(g.Samples), IsNumber: true),
            new("Live (est.)", "liveBytes", frees, ReportFigures.Live, g => ReportFigures.Raw(g.LiveBytes), IsNumber: true),
            new(null, "liveBytesLow", false, _ => string.Empty, g => ReportFigures.Raw(g.LiveBytesLow), IsNumber: true),
            new(null, "liveBytesHigh", false, _ => string.Empty, g => ReportFigures.Raw(g.LiveBytesHigh), IsNumber: true),
            new("Freed (est.)", "freedBytes", frees, g => ReportFigures.Size(g.FreedBytes), g => ReportFigures.Raw(g.FreedBytes), IsNumber: true),
            new("Gen2 (est.)", "gen2Bytes", frees, g => ReportFigures.Size(g.Gen2Bytes), g => ReportFigures.Raw(g.Gen2Bytes), IsNumber: true),
            new("Top types (estimated)", "types", true, g => ReportFigures.TopTypes(g, TopTypeCount), CsvTypes, IsNumber: false, MaxWidth: 72),
        ];
    }

    /// <summary>Every type of the group, full names: <c>System.Byte[]=371066463;System.String=1024</c>.</summary>
    private static string CsvTypes(GroupReport group) =>
        string.Join(';', group.Types.Select(t => $"{t.Name}={ReportFigures.Raw(t.EstimatedBytes)}"));

    /// <summary>The columns people see, in order.</summary>
    public static IEnumerable<ReportColumn> Visible(IEnumerable<ReportColumn> columns) =>
        columns.Where(c => c.Shown && c.Heading is not null);
}
