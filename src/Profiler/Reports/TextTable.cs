using System.Text;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>A minimal aligned text table: enough for terminals and logs without a rendering dependency.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns whose values are right-aligned (numbers).</summary>
    public HashSet<int> RightAligned { get; } = [];

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder output)
    {
        int[] widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (int i = 0; i < widths.Length && i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(output, headers, widths);
        output.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))).TrimEnd());
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private void WriteRow(StringBuilder output, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < widths.Length; i++)
        {
            string cell = i < cells.Length ? cells[i] : string.Empty;
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(RightAligned.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        }

        output.AppendLine(line.ToString().TrimEnd());
    }
}
