using System.Globalization;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// The report's numbers as people read them, in one place so that every text format says the same thing: a size in
/// binary units, an estimate with its interval, and "—" where nothing was measured (never "0 B").
/// </summary>
public static class ReportFigures
{
    /// <summary>Shown where nothing was measured.</summary>
    public const string NotMeasured = "—";

    /// <summary>
    /// The group's exact bytes, or null when none were measured. Until the engine reports "not measured" itself
    /// (exact bytes becoming <c>long?</c>), 0 bytes from 0 closed intervals means no thread left the group while it
    /// was traced: nothing was measured, which is not the same as "allocated nothing".
    /// </summary>
    public static long? ExactBytes(GroupReport group)
    {
        long? bytes = group.AllocatedBytes;
        return bytes is 0 && group.ExactIntervals == 0 ? null : bytes;
    }

    public static string Size(long? bytes) => bytes is long b ? ByteSize.Format(b) : NotMeasured;

    /// <summary>The group's estimate with its interval as percentages, "(biased)" for tick sampling, "—" without samples.</summary>
    public static string Estimate(GroupReport group) =>
        group.Samples == 0 && group.EstimatedBytes == 0
            ? NotMeasured
            : Estimate(group.EstimatedBytes, group.EstimatedBytesLow, group.EstimatedBytesHigh);

    public static string Live(GroupReport group) =>
        group.LiveBytes is long live ? Estimate(live, group.LiveBytesLow, group.LiveBytesHigh) : NotMeasured;

    public static string Estimate(long estimate, long? low, long? high)
    {
        if (low is long l && high is long h && estimate > 0)
        {
            double minus = (estimate - l) * 100.0 / estimate;
            double plus = (h - estimate) * 100.0 / estimate;
            return string.Create(CultureInfo.InvariantCulture, $"{ByteSize.Format(estimate)} (-{minus:0}%/+{plus:0}%)");
        }

        return ByteSize.Format(estimate) + (low is null ? " (biased)" : string.Empty);
    }

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A number for machines: invariant digits, empty when absent.</summary>
    public static string Raw(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Drops namespaces and generic arguments: <c>System.Collections.Generic.List`1[System.String][]</c> → <c>List`1[]</c>.</summary>
    public static string ShortTypeName(string name)
    {
        string suffix = string.Empty;
        while (name.EndsWith("[]", StringComparison.Ordinal))
        {
            name = name[..^2];
            suffix += "[]";
        }

        int generic = name.IndexOf('[', StringComparison.Ordinal);
        if (generic > 0)
        {
            name = name[..generic];
        }

        int dot = name.LastIndexOf('.');
        return (dot < 0 ? name : name[(dot + 1)..]) + suffix;
    }

    public static string TopTypes(GroupReport group, int count) =>
        string.Join(", ", group.Types.Take(count).Select(t => $"{ShortTypeName(t.Name)} {ByteSize.Format(t.EstimatedBytes)}"));

    public static string Tags(GroupReport group) => string.Join(", ", group.Tags.Select(t => $"{t.Key}={t.Value}"));

    public static string ProcessName(AllocationReport report) =>
        report.Session.Processes.FirstOrDefault(p => p.ProcessId == report.Session.TargetPid)?.Name ?? "?";
}
