using System.Text.RegularExpressions;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Tests;

[Collection("processes")]
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_ReportsEveryDemoGroupWithExactAndEstimatedBytes_WhenRun()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["demo", "--duration", "2s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        Assert.Equal("demo", report.Session.Mode);
        Assert.Equal(0, report.Session.EventsLost);
        foreach (string name in new[] { "orders/parse", "cache/fill", "images/thumbnail" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.True(group.AllocatedBytes > 0, name);
            Assert.True(group.Samples > 0, name);
            // Exact and estimate measure the same thing: they agree within the estimate's interval, widened to 4σ.
            double halfWidth = (group.EstimatedBytesHigh!.Value - group.EstimatedBytesLow!.Value) / 2.0;
            Assert.True(Math.Abs(group.EstimatedBytes - (group.AllocatedBytes ?? 0)) <= halfWidth * 4 / 1.96 + 512 * 1024, $"{name}: {group.EstimatedBytes} vs {group.AllocatedBytes}");
        }
    }

    [Theory]
    [InlineData("report.pb.gz")]
    [InlineData("report.html")]
    [InlineData("report.speedscope.json")]
    public async Task Demo_WritesTheProfileFormat_TheOutputNameImplies(string fileName)
    {
        string dir = Directory.CreateTempSubdirectory("alloctrack-demo-format").FullName;
        string path = Path.Combine(dir, fileName);
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["demo", "--duration", "2s", "-o", path], console);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Allocated (exact)", console.OutText, StringComparison.Ordinal); // the table on the console too

        byte[] bytes = File.ReadAllBytes(path);
        string content;
        if (fileName.EndsWith(".gz", StringComparison.Ordinal))
        {
            Assert.Equal([0x1f, 0x8b], bytes[..2]);
            using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            using var raw = new MemoryStream();
            unzip.CopyTo(raw);
            content = System.Text.Encoding.UTF8.GetString(raw.ToArray());
        }
        else
        {
            content = System.Text.Encoding.UTF8.GetString(bytes);
        }

        foreach (string name in new[] { "orders/parse", "cache/fill", "images/thumbnail" })
        {
            Assert.Contains(name, content, StringComparison.Ordinal);
        }

        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Demo_WithStacks_GivesEveryGroupNamedCallPaths_ThatAddUpToItsEstimate()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["demo", "--stacks", "--duration", "2s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        foreach (string name in new[] { "orders/parse", "cache/fill", "images/thumbnail" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.NotNull(group.CallPaths);
            Assert.InRange(group.CallPaths!.Sum(p => p.EstimatedBytes), group.EstimatedBytes - group.CallPaths!.Count, group.EstimatedBytes + group.CallPaths!.Count);

            // The demo's own code allocates in every group: its frames are named, with the tool's module.
            Assert.Contains(group.CallPaths!, p => p.Frames.Any(f => f.Method.StartsWith("TrackingProfiler.Cli.Demo.DemoWorkload", StringComparison.Ordinal) && f.Module == "dotnet-alloctrack.dll"));
        }

        // The workload holds when done, so the session is stopped while it lives and its rundown names every frame.
        Assert.DoesNotContain(report.Session.Notes, n => n.Contains("could not be named", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_WritesMarkdownToTheOutputFile_AndShowsTheTableTheReadmeShows()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-demo").FullName, "demo.md");
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["demo", "--duration", "2s", "-o", file], console));

        // -o with .md and no --format: Markdown in the file, a pipe table.
        string markdown = File.ReadAllText(file);
        Assert.Contains(markdown.Split('\n'), l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("orders", StringComparison.Ordinal) && l.Contains("parse", StringComparison.Ordinal)); // the name, escaped as Markdown needs
        Assert.Contains("| --- |", markdown, StringComparison.Ordinal);

        // The console shows the table as the README shows it: the same session line start, the same columns, the
        // same groups (their order depends on the run).
        var (readmeTitle, readmeColumns, readmeGroups) = ParseTable(ReadmeDemoBlock());
        var (title, columns, groups) = ParseTable(console.OutText);
        Assert.StartsWith(readmeTitle, title, StringComparison.Ordinal);
        Assert.Equal(readmeColumns, columns);
        Assert.Equal(readmeGroups.Order(), groups.Order());
    }

    /// <summary>The demo's table in README.md: the code block after "The demo starts".</summary>
    private static string ReadmeDemoBlock()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int start = readme.IndexOf("```", readme.IndexOf("The demo starts", StringComparison.Ordinal), StringComparison.Ordinal);
        int body = readme.IndexOf('\n', start) + 1;
        return readme[body..readme.IndexOf("```", body, StringComparison.Ordinal)];
    }

    /// <summary>The title up to the pid, the column names (cells are separated by two spaces or more), the first cells.</summary>
    private static (string Title, string[] Columns, string[] Groups) ParseTable(string text)
    {
        string[] lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        int title = Array.FindIndex(lines, l => l.StartsWith("dotnet-alloctrack — ", StringComparison.Ordinal));
        Assert.True(title >= 0, text);
        string[] columns = Regex.Split(lines[title + 1].Trim(), " {2,}");
        var groups = lines.Skip(title + 3).TakeWhile(l => l.Trim().Length > 0)
            .Select(l => Regex.Split(l.Trim(), " {2,}"))
            .TakeWhile(cells => cells.Length >= 3) // rows have cells; a legend or a note under the table has not
            .Select(cells => cells[0]).ToArray();
        return (lines[title][..(lines[title].IndexOf(" pid ", StringComparison.Ordinal) + 5)], columns, groups);
    }

    private static string RepositoryRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "TrackingProfiler.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("no TrackingProfiler.sln above the tests");
        }

        return dir;
    }
}
