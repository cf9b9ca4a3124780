using System.Text.Json;
using TrackingProfiler.Profiler.Gate;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Tests.Reports;

/// <summary>Group names come from the target: each text format must show them without obeying them.</summary>
public class HostileNameTests
{
    private static bool HasControl(string text, params char[] allowed) =>
        text.Any(c => DisplayText.IsUnsafe(c) && !allowed.Contains(c));

    [Fact]
    public void Table_NeutralizesControlCharacters_AndCapsNameWidth()
    {
        string table = ReportWriters.Render(ReportSamples.Hostile(), ReportFormat.Table);
        Assert.False(HasControl(table, '\n', '\r'), "a control character other than the line ends reached the table");
        Assert.DoesNotContain("\r", table.Replace(Environment.NewLine, "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', table);
        Assert.DoesNotContain('\u202E', table);
        Assert.Contains("line1\uFFFD\uFFFDline2\uFFFDline3", table, StringComparison.Ordinal); // one row, not three
        Assert.Contains(new string('W', DisplayText.MaxNameWidth - 1) + "…", table, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('W', DisplayText.MaxNameWidth + 1), table, StringComparison.Ordinal);
        Assert.All(table.Split('\n'), line => Assert.True(line.Length < 400, $"a line of {line.Length} characters"));
    }

    [Fact]
    public void Table_HasOneLinePerGroup_WhatEverTheNames()
    {
        var report = ReportSamples.Hostile();
        string[] lines = ReportWriters.Render(report, ReportFormat.Table).Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("Group", StringComparison.Ordinal));
        Assert.StartsWith("-----", lines[header + 1], StringComparison.Ordinal);
        Assert.Equal(string.Empty, lines[header + 2 + report.Groups.Count].TrimEnd()); // the table ends after exactly one line per group
    }

    [Fact]
    public void Markdown_EscapesEverything_SoANameStaysInItsCell()
    {
        var report = ReportSamples.Hostile();
        string md = ReportWriters.Render(report, ReportFormat.Markdown);
        Assert.False(HasControl(md, '\n', '\r'));
        string[] rows = md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(report.Groups.Count + 1, rows.Length - 1); // heading, separator, one row per group
        int cells = rows[0].Count(c => c == '|');
        Assert.All(rows, r => Assert.Equal(cells, CountUnescapedPipes(r)));
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", md, StringComparison.Ordinal);
        Assert.DoesNotContain("](http", md, StringComparison.Ordinal);
        Assert.Contains("\\[link\\]\\(http", md, StringComparison.Ordinal);
        Assert.DoesNotContain("@mention", md, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('W', DisplayText.MaxNameWidth + 1), md, StringComparison.Ordinal);
    }

    [Fact]
    public void GateMarkdownAndTable_EscapeHostileNames()
    {
        var current = new AllocationReport { Groups = [.. ReportSamples.HostileNames.Select((n, i) => new GroupReport { Id = i + 1, Name = n, AllocatedBytes = 2000, ExactIntervals = 1 })] };
        var baseline = new AllocationReport { Groups = [.. ReportSamples.HostileNames.Select((n, i) => new GroupReport { Id = i + 1, Name = n, AllocatedBytes = 1000, ExactIntervals = 1 })] };
        var result = GateEvaluator.Evaluate(current, baseline, Threshold.Default, false, null);

        string md = GateRenderer.Render(result, ReportFormat.Markdown);
        Assert.False(HasControl(md, '\n', '\r'));
        string[] rows = md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(ReportSamples.HostileNames.Length + 2, rows.Length);
        Assert.All(rows, r => Assert.Equal(9, CountUnescapedPipes(r)));
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);

        string table = GateRenderer.Render(result, ReportFormat.Table);
        Assert.False(HasControl(table, '\n', '\r'));
        Assert.DoesNotContain(new string('W', DisplayText.MaxNameWidth + 1), table, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_GuardsFormulaCells_AndQuotesLineBreaks()
    {
        string csv = ReportWriters.Render(ReportSamples.Hostile(), ReportFormat.Csv);
        var rows = ParseCsv(csv);
        Assert.Equal(ReportSamples.HostileNames.Length + 1, rows.Count);
        int name = Array.IndexOf(rows[0], "name");
        int tags = Array.IndexOf(rows[0], "tags");
        foreach (var row in rows.Skip(1))
        {
            Assert.DoesNotMatch("^[=+\\-@\\t\\r]", row[name]);
            Assert.DoesNotMatch("^[=+\\-@\\t\\r]", row[tags]);
        }

        var names = rows.Skip(1).Select(r => r[name]).ToList();
        Assert.Contains("'=HYPERLINK(\"http://evil.example/\",\"x\")", names);
        Assert.Contains("'+cmd|' /C calc'!A0", names);
        Assert.Contains("'-2+3", names);
        Assert.Contains("'@SUM(1+1)", names);
        Assert.Contains("'\tTabbed", names);
        Assert.Contains("line1\r\nline2\nline3", names); // kept whole, inside quotes
        Assert.Contains("-1", ParseCsv(ReportWriters.Render(ReportSamples.Plain(), ReportFormat.Csv)).Select(r => r[1])); // numbers are not guarded
    }

    [Fact]
    public void Json_KeepsNamesExactly()
    {
        string json = ReportWriters.Render(ReportSamples.Hostile(), ReportFormat.Json);
        var back = ReportJson.Deserialize(json, "hostile.json");
        Assert.Equal(ReportSamples.HostileNames, back.Groups.Select(g => g.Name));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(ReportSamples.HostileNames[0], document.RootElement.GetProperty("groups")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\u001bb", "a\uFFFDb")]
    [InlineData("a\u0085b\u009bc", "a\uFFFDb\uFFFDc")]
    [InlineData("a\u202Eb\u2067c\u200Fd", "a\uFFFDb\uFFFDc\uFFFDd")]
    [InlineData("a\u2028b\u007fc", "a\uFFFDb\uFFFDc")]
    [InlineData("héllo 世界 🙂", "héllo 世界 🙂")]
    public void DisplayText_NeutralizesOnlyWhatCouldAct(string input, string expected)
    {
        Assert.Equal(expected, DisplayText.Neutralize(input));
    }

    [Fact]
    public void DisplayText_CutsBetweenTextElements_WhenCapping()
    {
        string name = new string('a', 9) + "🙂🙂";
        Assert.Equal(new string('a', 9) + "…", DisplayText.ForCell(name, 10));
        Assert.Equal(name, DisplayText.ForCell(name, 11));
    }

    private static int CountUnescapedPipes(string row)
    {
        int count = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\')
            {
                i++;
            }
            else if (row[i] == '|')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>An RFC 4180 reader, independent of the writer: quoted fields may hold commas, quotes and line breaks.</summary>
    internal static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < csv.Length; i++)
        {
            char c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
