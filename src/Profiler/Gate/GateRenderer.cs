using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>The gate's verdicts as a table for logs, Markdown for pull requests and step summaries, or JSON.</summary>
public static class GateRenderer
{
    public static string Render(GateResult result, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => Markdown(result),
        ReportFormat.Json => JsonSerializer.Serialize(new { passed = result.Passed, failures = result.Failures, groups = result.Verdicts }, ReportJson.Options) + Environment.NewLine,
        _ => Table(result),
    };

    private static string Table(GateResult result)
    {
        var table = new TextTable("Verdict", "Group", "Measure", "Baseline", "Current", "Change", "Limit", "Reason");
        table.RightAligned.UnionWith([3, 4, 5]);
        foreach (var v in result.Verdicts)
        {
            table.AddRow(Status(v.Status), v.Name, v.Measure, Size(v.Baseline), Size(v.Current), Change(v), v.Limit, v.Reason);
        }

        var output = new StringBuilder();
        table.WriteTo(output);
        output.AppendLine(Summary(result));
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
            string name = v.Name.Replace("|", "\\|", StringComparison.Ordinal);
            output.AppendLine(CultureInfo.InvariantCulture, $"| {(v.Status == VerdictStatus.Fail ? "**FAIL**" : Status(v.Status))} | {name} | {v.Measure} | {Size(v.Baseline)} | {Size(v.Current)} | {Change(v)} | {v.Limit} | {v.Reason} |");
        }

        output.AppendLine();
        output.AppendLine(Summary(result));
        return output.ToString();
    }

    private static string Summary(GateResult result) => result.Passed
        ? $"Gate passed: {result.Verdicts.Count(v => v.Status == VerdictStatus.Pass)} checks within limits."
        : $"Gate FAILED: {result.Failures} check(s) over their limit ({string.Join(", ", result.Verdicts.Where(v => v.Status == VerdictStatus.Fail).Select(v => v.Name).Distinct())}).";

    private static string Status(VerdictStatus status) => status switch
    {
        VerdictStatus.Fail => "FAIL",
        VerdictStatus.New => "new",
        VerdictStatus.Gone => "gone",
        _ => "ok",
    };

    private static string Size(long? bytes) => bytes is long b ? ByteSize.Format(b) : "-";

    private static string Change(GroupVerdict v) => v.Change is long change
        ? (change >= 0 ? "+" : string.Empty) + ByteSize.Format(change) + (v.ChangePercent is double p ? string.Create(CultureInfo.InvariantCulture, $" ({p:+0.0;-0.0}%)") : string.Empty)
        : "-";
}
