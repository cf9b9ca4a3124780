using System.Globalization;
using System.Text;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>Renders a report for people (table), pull requests (Markdown), spreadsheets (CSV) or machines (JSON).</summary>
public static class ReportRenderer
{
    public static string Render(AllocationReport report, ReportFormat format) => format switch
    {
        ReportFormat.Json => ReportJson.Serialize(report) + Environment.NewLine,
        ReportFormat.Markdown => Markdown(report),
        ReportFormat.Csv => Csv(report),
        _ => Table(report, rates: null),
    };

    /// <summary>The table; with <paramref name="rates"/> (bytes/s per group key) a rate column is shown (live view).</summary>
    public static string Table(AllocationReport report, IReadOnlyDictionary<(int Pid, int Id), double>? rates)
    {
        var s = report.Session;
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"dotnet-alloctrack — {s.Mode} pid {s.TargetPid} ({ProcessName(report)}), .NET {s.RuntimeVersion ?? "unknown"}, sampling: {s.SamplingMode}, {s.DurationSeconds:0.0} s, {s.EventsProcessed:N0} events, events lost: {s.EventsLost:N0}");
        bool multiProcess = report.Groups.Select(g => g.ProcessId).Distinct().Count() > 1;
        bool frees = s.TrackFrees;
        var headers = new List<string>();
        if (multiProcess)
        {
            headers.Add("PID");
        }

        headers.AddRange(["Group", "Allocated (exact)"]);
        if (rates is not null)
        {
            headers.Add("Rate");
        }

        headers.AddRange(["Estimated (95% CI)", "Samples"]);
        if (frees)
        {
            headers.AddRange(["Live (est.)", "Freed (est.)", "Gen2 (est.)"]);
        }

        headers.Add("Top types (estimated)");
        var table = new TextTable([.. headers]);
        int offset = multiProcess ? 1 : 0;
        table.RightAligned.UnionWith(Enumerable.Range(offset + 1, headers.Count - offset - 2));
        foreach (var g in report.Groups)
        {
            var cells = new List<string>();
            if (multiProcess)
            {
                cells.Add(g.ProcessId.ToString(CultureInfo.InvariantCulture));
            }

            cells.Add(g.Name);
            cells.Add(g.AllocatedBytes is long exact ? ByteSize.Format(exact) : "—");
            if (rates is not null)
            {
                cells.Add(rates.TryGetValue((g.ProcessId, g.Id), out double rate) ? ByteSize.Format(rate) + "/s" : "-");
            }

            cells.Add(Estimate(g.EstimatedBytes, g.EstimatedBytesLow, g.EstimatedBytesHigh, g.Samples));
            cells.Add(g.Samples.ToString("N0", CultureInfo.InvariantCulture));
            if (frees)
            {
                cells.Add(g.LiveBytes is long live ? Estimate(live, g.LiveBytesLow, g.LiveBytesHigh, 1) : "-");
                cells.Add(g.FreedBytes is long freed ? ByteSize.Format(freed) : "-");
                cells.Add(g.Gen2Bytes is long gen2 ? ByteSize.Format(gen2) : "-");
            }

            cells.Add(TopTypes(g, 3));
            table.AddRow([.. cells]);
        }

        foreach (var p in report.Session.Processes.Where(p => p.AllocatedBytes is not null))
        {
            // The process's own total: what the groups are a share of. Its other cells stay empty.
            var cells = new string[headers.Count];
            Array.Fill(cells, string.Empty);
            if (multiProcess)
            {
                cells[0] = p.ProcessId.ToString(CultureInfo.InvariantCulture);
            }

            cells[offset] = TotalName;
            cells[offset + 1] = ByteSize.Format(p.AllocatedBytes!.Value);
            cells[offset + (rates is null ? 2 : 3)] = Share(p);
            table.AddRow(cells);
        }

        table.WriteTo(output);
        output.AppendLine("Allocated: exact bytes of closed intervals (between group changes). Estimated: from allocation samples, with its 95% interval.");
        foreach (var note in s.Notes)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"Note: {note}");
        }

        return output.ToString();
    }

    public static string Markdown(AllocationReport report)
    {
        var s = report.Session;
        var output = new StringBuilder();
        output.AppendLine("### dotnet-alloctrack report");
        output.AppendLine();
        output.AppendLine(CultureInfo.InvariantCulture, $"{s.Mode} · pid {s.TargetPid} ({ProcessName(report)}) · .NET {s.RuntimeVersion ?? "unknown"} · sampling `{s.SamplingMode}` · {s.DurationSeconds:0.0} s · events lost: **{s.EventsLost:N0}**");
        output.AppendLine();
        output.Append("| Group | Allocated (exact) | Estimated (95% CI) | Samples |");
        output.AppendLine(s.TrackFrees ? " Live (est.) | Freed (est.) | Top types |" : " Top types |");
        output.AppendLine(s.TrackFrees ? "| --- | ---: | ---: | ---: | ---: | ---: | --- |" : "| --- | ---: | ---: | ---: | --- |");
        foreach (var g in report.Groups)
        {
            output.Append(CultureInfo.InvariantCulture, $"| {EscapeMarkdown(g.Name)} | {(g.AllocatedBytes is long exact ? ByteSize.Format(exact) : "—")} | {Estimate(g.EstimatedBytes, g.EstimatedBytesLow, g.EstimatedBytesHigh, g.Samples)} | {g.Samples:N0} |");
            if (s.TrackFrees)
            {
                output.Append(CultureInfo.InvariantCulture, $" {(g.LiveBytes is long l ? ByteSize.Format(l) : "-")} | {(g.FreedBytes is long f ? ByteSize.Format(f) : "-")} |");
            }

            output.AppendLine(CultureInfo.InvariantCulture, $" {EscapeMarkdown(TopTypes(g, 3))} |");
        }

        foreach (var p in report.Session.Processes.Where(p => p.AllocatedBytes is not null))
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"| **{TotalName}** | **{ByteSize.Format(p.AllocatedBytes!.Value)}** | {Share(p)} | |{(s.TrackFrees ? " | |" : string.Empty)} |");
        }

        foreach (var note in s.Notes)
        {
            output.AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"> {EscapeMarkdown(note)}");
        }

        return output.ToString();
    }

    public static string Csv(AllocationReport report)
    {
        var output = new StringBuilder();
        output.AppendLine("processId,groupId,name,allocatedBytes,estimatedBytes,estimatedBytesLow,estimatedBytesHigh,samples,liveBytes,freedBytes,gen2Bytes");
        foreach (var g in report.Groups)
        {
            output.AppendLine(string.Join(',',
                g.ProcessId.ToString(CultureInfo.InvariantCulture),
                g.Id.ToString(CultureInfo.InvariantCulture),
                CsvField(g.Name),
                g.AllocatedBytes?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                g.EstimatedBytes.ToString(CultureInfo.InvariantCulture),
                Opt(g.EstimatedBytesLow),
                Opt(g.EstimatedBytesHigh),
                g.Samples.ToString(CultureInfo.InvariantCulture),
                Opt(g.LiveBytes),
                Opt(g.FreedBytes),
                Opt(g.Gen2Bytes)));
        }

        foreach (var p in report.Session.Processes.Where(p => p.AllocatedBytes is not null))
        {
            output.AppendLine(string.Join(',',
                p.ProcessId.ToString(CultureInfo.InvariantCulture), string.Empty, TotalName,
                p.AllocatedBytes!.Value.ToString(CultureInfo.InvariantCulture), string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty));
        }

        return output.ToString();
    }

    /// <summary>The name of the total row: the process's exact allocated bytes from the runtime's own counter.</summary>
    public const string TotalName = "(process total)";

    private static string Share(ProcessReport p) =>
        p.GroupedShare is double share ? string.Create(CultureInfo.InvariantCulture, $"{share:0.0%} in groups") : string.Empty;

    private static string Estimate(long estimate, long? low, long? high, long samples)
    {
        if (samples == 0 && estimate == 0)
        {
            return "-";
        }

        if (low is long l && high is long h && estimate > 0)
        {
            double minus = (estimate - l) * 100.0 / estimate;
            double plus = (h - estimate) * 100.0 / estimate;
            return string.Create(CultureInfo.InvariantCulture, $"{ByteSize.Format(estimate)} (-{minus:0}%/+{plus:0}%)");
        }

        return ByteSize.Format(estimate) + (low is null ? " (biased)" : string.Empty);
    }

    private static string TopTypes(GroupReport g, int count) =>
        string.Join(", ", g.Types.Take(count).Select(t => $"{ShortTypeName(t.Name)} {ByteSize.Format(t.EstimatedBytes)}"));

    /// <summary>Drops namespaces and generic arguments: <c>System.Collections.Generic.List`1[System.String][]</c> → <c>List`1[]</c>.</summary>
    internal static string ShortTypeName(string name)
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

    private static string ProcessName(AllocationReport report) =>
        report.Session.Processes.FirstOrDefault(p => p.ProcessId == report.Session.TargetPid)?.Name ?? "?";

    private static string Opt(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string EscapeMarkdown(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
