using System.Globalization;
using System.Text;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The console table: session facts, one row per group, the top call paths, and what it all means.</summary>
public sealed class TableWriter : IReportWriter
{
    /// <summary>Explanations wrap at this width (with a hanging indent) to stay readable in a terminal.</summary>
    public const int LegendWidth = 118;

    public bool IsText => true;

    public void Write(AllocationReport report, Stream output) =>
        ReportWriters.WriteText(output, Render(report, ReportColumns.For(report)));

    /// <summary>The table with <paramref name="columns"/>: <see cref="ReportColumns.For"/>, plus any a caller adds (the live view's rate).</summary>
    public static string Render(AllocationReport report, IReadOnlyList<ReportColumn> columns)
    {
        var s = report.Session;
        var output = new StringBuilder();
        output.AppendLine(DisplayText.Neutralize(string.Create(CultureInfo.InvariantCulture,
            $"dotnet-alloctrack — {s.Mode} pid {s.TargetPid} ({DisplayText.ForCell(ReportFigures.ProcessName(report))}), .NET {s.RuntimeVersion ?? "unknown"}, sampling: {s.SamplingMode}, {s.DurationSeconds:0.0} s, {s.EventsProcessed:N0} events, events lost: {s.EventsLost:N0}")));

        var visible = ReportColumns.Visible(columns).ToList();
        var table = new TextTable([.. visible.Select(c => c.Heading!)]);
        table.RightAligned.UnionWith(Enumerable.Range(0, visible.Count).Where(i => visible[i].IsNumber));
        foreach (var g in report.Groups)
        {
            table.AddRow([.. visible.Select(c => DisplayText.ForCell(c.Text(g), c.MaxWidth))]);
        }

        foreach (var process in TotalRows.Of(report))
        {
            table.AddRow([.. visible.Select(c => TotalRows.Text(c, process))]);
        }

        table.WriteTo(output);
        bool first = true;
        foreach (var (group, paths) in CallPathLines.Of(report))
        {
            if (first)
            {
                output.AppendLine();
                output.AppendLine("Top call paths (estimated; allocating method first, then its callers):");
                first = false;
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"  {DisplayText.ForCell(group.Name)}");
            foreach (var path in paths)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"    {ByteSize.Format(path.EstimatedBytes),10}  {CallPathLines.Frames(path, DisplayText.ForCell)}");
            }
        }

        output.AppendLine();
        foreach (string line in ReportLegend.For(report))
        {
            Wrap(output, line, LegendWidth);
        }

        foreach (var note in s.Notes)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"Note: {DisplayText.Neutralize(note)}");
        }

        return output.ToString();
    }

    private static void Wrap(StringBuilder output, string text, int width)
    {
        var line = new StringBuilder();
        bool empty = true;
        foreach (string word in text.Split(' '))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                output.AppendLine(line.ToString());
                line.Clear().Append("  ");
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        output.AppendLine(line.ToString());
    }
}
