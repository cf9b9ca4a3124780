namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>What the columns and the special rows mean, said in the output itself (table and Markdown).</summary>
public static class ReportLegend
{
    public static IEnumerable<string> For(AllocationReport report)
    {
        yield return "Allocated (exact): bytes counted by the runtime on each thread, added up each time a thread enters or leaves the group; "
            + "a group still entered when tracing stopped is added when it is left. — means not measured (no thread left the group while traced).";
        yield return report.Session.SamplingMode switch
        {
            "tick" => "Estimated: from the runtime's allocation ticks (about one per 100 KiB per heap); \"biased\": a fixed stride, so no 95% range can be given.",
            "none" => "Estimated: sampling was off, so there are no estimates (—).",
            _ => "Estimated: from the runtime's random allocation samples (about one per 100 KiB allocated), with the 95% range around the estimate.",
        };
        if (report.Groups.Any(g => g.Id == 0))
        {
            yield return "(root): allocations made outside any group (code that entered none).";
        }

        if (report.Groups.Any(g => g.Id == -1))
        {
            yield return "(unknown): allocations on threads not yet seen entering or leaving a group since the tool attached, so their group cannot be known.";
        }

        if (report.Groups.Any(g => g.Id < -1))
        {
            yield return "Other rows in parentheses are the tool's own pools, not groups of the target: the notes say what each holds.";
        }

        if (TotalRows.Of(report).Any())
        {
            yield return $"{TotalRows.Name}: every byte the process allocated while traced, from the runtime's own counter (exact); the groups are parts of it.";
        }

        yield return "Sizes: KiB, MiB, GiB are 1,024-based (1 MiB = 1,048,576 bytes).";
    }
}
