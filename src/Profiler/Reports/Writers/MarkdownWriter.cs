using System.Globalization;
using System.Text;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>A pull-request comment or <c>$GITHUB_STEP_SUMMARY</c>: the table's columns as a pipe table, every name escaped.</summary>
public sealed class MarkdownWriter : IReportWriter
{
    public bool IsText => true;

    public void Write(AllocationReport report, Stream output) => ReportWriters.WriteText(output, Render(report));

    public static string Render(AllocationReport report)
    {
        var s = report.Session;
        var output = new StringBuilder();
        output.AppendLine("### dotnet-alloctrack report");
        output.AppendLine();
        output.AppendLine(CultureInfo.InvariantCulture,
            $"{s.Mode} · pid {s.TargetPid} ({MarkdownText.Escape(ReportFigures.ProcessName(report), DisplayText.MaxNameWidth)}) · .NET {MarkdownText.Escape(s.RuntimeVersion ?? "unknown")} · sampling `{s.SamplingMode}` · {s.DurationSeconds:0.0} s · events lost: **{s.EventsLost:N0}**");
        output.AppendLine();

        var visible = ReportColumns.Visible(ReportColumns.For(report)).ToList();
        output.AppendLine("| " + string.Join(" | ", visible.Select(c => c.Heading)) + " |");
        output.AppendLine("| " + string.Join(" | ", visible.Select(c => c.IsNumber ? "---:" : "---")) + " |");
        foreach (var g in report.Groups)
        {
            output.AppendLine("| " + string.Join(" | ", visible.Select(c => Cell(c, g))) + " |");
        }

        // The tool's own name and figures: nothing untrusted to escape.
        foreach (var process in TotalRows.Of(report))
        {
            output.AppendLine("| " + string.Join(" | ", visible.Select(c => TotalRows.Text(c, process) is { Length: > 0 } text ? $"**{text}**" : string.Empty)) + " |");
        }

        var paths = CallPathLines.Of(report).ToList();
        if (paths.Count > 0)
        {
            output.AppendLine();
            output.AppendLine("**Top call paths** (estimated; allocating method first, then its callers)");
            output.AppendLine();
            foreach (var (group, groupPaths) in paths)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"- {MarkdownText.Escape(group.Name, DisplayText.MaxNameWidth)}");
                foreach (var path in groupPaths)
                {
                    output.AppendLine(CultureInfo.InvariantCulture, $"  - {ByteSize.Format(path.EstimatedBytes)}: {CallPathLines.Frames(path, MarkdownText.Escape)}");
                }
            }
        }

        output.AppendLine();
        foreach (string line in ReportLegend.For(report))
        {
            // The tool's own words: nothing untrusted in them, nothing to escape.
            output.AppendLine(CultureInfo.InvariantCulture, $"<sub>{line}</sub><br>");
        }

        foreach (var note in s.Notes)
        {
            output.AppendLine();
            output.AppendLine(CultureInfo.InvariantCulture, $"> {MarkdownText.Escape(note)}");
        }

        return output.ToString();
    }

    private static string Cell(ReportColumn column, GroupReport group)
    {
        string text = column.Text(group);
        return column.IsNumber ? DisplayText.Neutralize(text) : MarkdownText.Escape(text, column.MaxWidth);
    }
}
