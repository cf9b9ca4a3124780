using System.Text;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// One row per group for spreadsheets: every CSV column of <see cref="ReportColumns"/>, always in the same order,
/// numbers in bytes, empty cells where nothing was measured, text cells guarded against formula injection.
/// </summary>
public sealed class CsvWriter : IReportWriter
{
    public bool IsText => true;

    public void Write(AllocationReport report, Stream output) => ReportWriters.WriteText(output, Render(report));

    public static string Render(AllocationReport report)
    {
        var columns = ReportColumns.For(report).Where(c => c.CsvName is not null).ToList();
        var output = new StringBuilder();
        output.Append(string.Join(',', columns.Select(c => c.CsvName))).Append("\r\n");
        foreach (var g in report.Groups)
        {
            output.Append(string.Join(',', columns.Select(c => c.IsNumber ? CsvText.Quote(c.Raw(g)) : CsvText.Text(c.Raw(g))))).Append("\r\n");
        }

        // The process total: a row with an empty groupId, so a spreadsheet can tell it from the groups.
        foreach (var process in TotalRows.Of(report))
        {
            output.Append(string.Join(',', columns.Select(c => CsvText.Quote(TotalRows.Raw(c, process))))).Append("\r\n");
        }

        return output.ToString();
    }
}
