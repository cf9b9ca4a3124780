using System.Text.RegularExpressions;

namespace TrackingProfiler.Cli.Tests;

/// <summary>
/// The README shows what the demo prints; this runs the demo and holds the README's sample to the same shape: the
/// title line (numbers aside), the columns, the groups, and every line under the table word for word. When the output
/// changes on purpose, paste a fresh `dotnet run --project src/Cli -- demo` into the README.
/// </summary>
[Collection("processes")]
public partial class ReadmeDemoTests
{
    [Fact]
    public async Task ReadmeDemoSample_HasTheShapeTheDemoPrints()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["demo", "--duration", "2s"], console));

        var printed = Shape.Of(console.OutText.Split('\n'));
        var documented = Shape.Of(ReadmeSample());

        Assert.Equal(printed.Title, documented.Title);
        Assert.Equal(printed.Columns, documented.Columns);
        Assert.Equal(printed.Groups.Order(StringComparer.Ordinal), documented.Groups.Order(StringComparer.Ordinal));
        Assert.Equal(printed.Footer, documented.Footer);
    }

    private static string[] ReadmeSample()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "README.md")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        string[] lines = File.ReadAllLines(Path.Combine(dir, "README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("dotnet-alloctrack — demo", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no demo sample starting with 'dotnet-alloctrack — demo'");
        int end = Array.FindIndex(lines, start, l => l.StartsWith("```", StringComparison.Ordinal));
        return lines[start..end];
    }

    /// <summary>A printed table reduced to what does not change from run to run.</summary>
    private sealed record Shape(string Title, string[] Columns, string[] Groups, string[] Footer)
    {
        public static Shape Of(IEnumerable<string> text)
        {
            var lines = text.Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            int title = lines.FindIndex(l => l.StartsWith("dotnet-alloctrack — demo", StringComparison.Ordinal));
            Assert.True(title >= 0, string.Join('\n', lines));
            int rule = lines.FindIndex(title, l => l.StartsWith("---", StringComparison.Ordinal));
            int footer = lines.FindIndex(rule + 1, l => !Cells(l)[0].Contains('/', StringComparison.Ordinal) && !Cells(l)[0].StartsWith('('));
            if (footer < 0)
            {
                footer = lines.Count;
            }

            return new Shape(
                Numbers().Replace(ProcessName().Replace(lines[title], "(NAME)"), "N"),
                Cells(lines[title + 1]),
                [.. lines[(rule + 1)..footer].Select(l => Cells(l)[0])],
                // Notes depend on the run (timing of the last totals, what auto found): the sample leaves them out.
                [.. lines[footer..].Where(l => !l.StartsWith("Note: ", StringComparison.Ordinal))]);
        }

        private static string[] Cells(string line) => ColumnGap().Split(line.Trim());
    }

    [GeneratedRegex(@"\d[\d,.]*")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"\([^)]*\)(?=, \.NET)")]
    private static partial Regex ProcessName();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();
}
