using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>The gate's verdicts as a table for logs, Markdown for pull requests and step summaries, or JSON.</summary>
public static class GateRenderer
{
    /// <summary>Whether the gate can be written in <paramref name="format"/> (the profile formats have no verdicts).</summary>
    public static bool Supports(ReportFormat format) => format is ReportFormat.Table or ReportFormat.Markdown or ReportFormat.Json;

    public static string Render(GateResult result, ReportFormat format) => format switch
    {
        ReportFormat.Table => Table(result),
        ReportFormat.Markdown => Markdown(result),
        ReportFormat.Json => JsonSerializer.Serialize(new { passed = result.Passed, failures = result.Failures, groups = result.Verdicts }, ReportJson.Options) + Environment.NewLine,
        _ => throw new NotSupportedException($"the gate's verdicts cannot be written as {format.ToString().ToLowerInvariant()}: use table, markdown or json."),
    };

    private static string Table(GateResult result)
    {
        var table = new TextTable("Verdict", "Group", "Measure", "Baseline", "Current", "Change", "Limit", "Reason");
        table.RightAligned.UnionWith([3, 4, 5]);
        foreach (var v in result.Verdicts)
        {
            table.AddRow(Status(v.Status), DisplayText.ForCell(v.Name), v.Measure, Size(v.Baseline), Size(v.Current), Change(v), Limit(v), v.Reason);
        }

        var output = new StringBuilder();
        table.WriteTo(output);
        output.AppendLine(DisplayText.Neutralize(Summary(result)));
        return output.ToString();
    }

    private static string Markdown(GateResult result)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"### dotnet-alloctrack memory gate: {(result.Passed ? "✅ passed" : "❌ failed")}");
        output.AppendLine();
        output.AppendLine("| Verdict | Group | Measure | Baseline | Current | Change | Limit | Reason |");
        output.AppendLine("| --- | --- | --- | ---: | ---: | ---: | --- | --- |");
        foreach (var v in result.Verdicts)
        {
            string name = MarkdownText.Escape(v.Name, DisplayText.MaxNameWidth);
            output.AppendLine(CultureInfo.InvariantCulture, $"| {(v.Status == VerdictStatus.Fail ? "**FAIL**" : Status(v.Status))} | {name} | {v.Measure} | {Size(v.Baseline)} | {Size(v.Current)} | {Change(v)} | {MarkdownText.Escape(Limit(v))} | {MarkdownText.Escape(v.Reason)} |");
        }

        output.AppendLine();
        output.AppendLine(MarkdownText.Escape(Summary(result)));
        return output.ToString();
    }

    private static string Summary(GateResult result) => result.Passed
        ? $"Gate passed: {result.Verdicts.Count(v => v.Status == VerdictStatus.Pass)} checks within limits."
        : $"Gate FAILED: {result.Failures} check(s) over their limit ({string.Join(", ", result.Verdicts.Where(v => v.Status == VerdictStatus.Fail).Select(v => DisplayText.ForCell(v.Name)).Distinct())}).";

    private static string Status(VerdictStatus status) => status switch
    {
        VerdictStatus.Fail => "FAIL",
        VerdictStatus.New => "new",
        VerdictStatus.Gone => "gone",
        _ => "ok",
    };

    /// <summary>The limit as people read it: <c>+5% (≤ 1.0 MiB)</c>, <c>≤ 2.0 MiB</c>, <c>no new groups</c>.</summary>
    private static string Limit(GroupVerdict v) => v.Rule switch
    {
        "max-increase" => $"{v.AllowedIncrease}{(v.Measure == "estimate" ? " on 95% intervals" : string.Empty)}{(v.LimitBytes is long l ? $" (≤ {ByteSize.Format(l)})" : string.Empty)}",
        "max-allocated-bytes" or "max-live-bytes" => v.LimitBytes is long max ? "≤ " + ByteSize.Format(max) : "-",
        "fail-on-new" => "no new groups",
        _ => "-",
    };

    private static string Size(long? bytes) => bytes is long b ? ByteSize.Format(b) : "-";

    private static string Change(GroupVerdict v) => v.Change is long change
        ? (change >= 0 ? "+" : string.Empty) + ByteSize.Format(change) + (v.ChangePercent is double p ? string.Create(CultureInfo.InvariantCulture, $" ({p:+0.0;-0.0}%)") : string.Empty)
        : "-";
}
