using System.Text.Json;
using System.Text.RegularExpressions;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Reports;

/// <summary>
/// Real reports, written by the real executable, against docs/report-format.md read at test time: the page and the
/// tool cannot drift apart (a field added, renamed or re-typed on one side only fails here).
/// </summary>
[Collection("processes")]
public class ReportSchemaTests
{
    private static readonly string s_sample = TargetProgram.Locate("GateSample");
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-schema").FullName;

    [Fact]
    public async Task JsonReport_HasEveryDocumentedFieldWithItsType_AndNothingUndocumented_WhenRunTracksFrees()
    {
        string file = Path.Combine(_dir, "frees.json");
        using var tool = await Tool.RunAsync("run", "--track-frees", "-o", file, "--", "dotnet", s_sample);
        Assert.True(tool.ExitCode == 0, tool.ErrorText);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var root = json.RootElement;
        var doc = ReportFormatDoc.Load();

        Assert.Equal(["schemaVersion", "tool", "session", "groups"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("dotnet-alloctrack", root.GetProperty("tool").GetProperty("name").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", root.GetProperty("tool").GetProperty("version").GetString());

        var session = root.GetProperty("session");
        AssertMatches(session, doc.SessionFields, "session");
        Assert.Equal("run", session.GetProperty("mode").GetString());
        Assert.True(session.GetProperty("trackFrees").GetBoolean());
        Assert.Contains(session.GetProperty("endReason").GetString(), doc.EndReasons);
        Assert.True(DateTimeOffset.TryParse(session.GetProperty("startedAt").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Matches("[+-]\\d\\d:\\d\\d$|Z$", session.GetProperty("startedAt").GetString());
        foreach (var process in session.GetProperty("processes").EnumerateArray())
        {
            Assert.Subset(doc.ProcessFields.ToHashSet(), process.EnumerateObject().Select(p => p.Name).ToHashSet());
        }

        var groups = root.GetProperty("groups").EnumerateArray().ToList();
        Assert.Contains(groups, g => g.GetProperty("name").GetString() == "parse");
        foreach (var group in groups)
        {
            // With --track-frees the optional freed/live/gen2 fields are all there.
            AssertMatches(group, doc.GroupFields, "group", required: ["freedBytes", "liveBytes", "liveBytesLow", "liveBytesHigh", "gen2Bytes"]);
            foreach (var type in group.GetProperty("types").EnumerateArray())
            {
                Assert.Equal(["name", "estimatedBytes", "samples"], type.EnumerateObject().Select(p => p.Name));
            }
        }

        // The documented order, and the root group's documented id and name.
        var order = groups.Select(g => (g.GetProperty("allocatedBytes").GetInt64(), g.GetProperty("estimatedBytes").GetInt64())).ToList();
        Assert.Equal(order.OrderByDescending(o => o.Item1).ThenByDescending(o => o.Item2), order);
        var rootGroup = Assert.Single(groups, g => g.GetProperty("id").GetInt32() == 0);
        Assert.Equal("(root)", rootGroup.GetProperty("name").GetString());
    }

    [Fact]
    public async Task EndReason_IsADocumentedValue_WhenTheCommandNeverConnected()
    {
        string file = Path.Combine(_dir, "never.json");
        using var tool = await Tool.RunAsync(["run", "--connect-timeout", "1s", "-o", file, "--", "sleep", "60"], environment: null);
        Assert.Equal(ExitCodes.NeverConnected, tool.ExitCode);
        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(file), file);
        Assert.Equal("never-connected", report.Session.EndReason);
        Assert.Contains("never-connected", ReportFormatDoc.Load().EndReasons);
    }

    [Fact]
    public async Task Csv_HasTheDocumentedHeader_WhenTheFormatComesFromTheExtension()
    {
        string file = Path.Combine(_dir, "r.csv");
        using var tool = await Tool.RunAsync("run", "--output", file, "--", "dotnet", s_sample);
        Assert.True(tool.ExitCode == 0, tool.ErrorText);
        string[] lines = (await File.ReadAllTextAsync(file)).ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(ReportFormatDoc.Load().CsvHeader, lines[0]);
        Assert.Contains(lines, l => l.Contains(",parse,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Table_HasThePidAndFreesColumns_OnlyWhenTheyApply()
    {
        // Several traced processes and --track-frees: PID, Live, Freed and Gen2 columns.
        using (var tree = await Tool.RunAsync("run", "--track-frees", "--", "dotnet", s_sample, "--spawn-child"))
        {
            Assert.True(tree.ExitCode == 0, tree.ErrorText);
            string header = TableHeader(tree.OutText);
            foreach (string column in new[] { "PID", "Live", "Freed", "Gen2" })
            {
                Assert.Contains(column, header, StringComparison.Ordinal);
            }
        }

        // One process, no frees: none of them.
        using var plain = await Tool.RunAsync("run", "--", "dotnet", s_sample);
        Assert.True(plain.ExitCode == 0, plain.ErrorText);
        string plainHeader = TableHeader(plain.OutText);
        foreach (string column in new[] { "PID", "Live", "Freed", "Gen2" })
        {
            Assert.DoesNotContain(column, plainHeader, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Markdown_HasThePidAndFreesColumns_WhenSeveralProcessesAreTracedWithFrees()
    {
        string file = Path.Combine(_dir, "tree.txt");
        using var tree = await Tool.RunAsync("run", "--track-frees", "--format", "markdown", "-o", file, "--", "dotnet", s_sample, "--spawn-child");
        Assert.True(tree.ExitCode == 0, tree.ErrorText);
        string header = (await File.ReadAllLinesAsync(file)).First(l => l.StartsWith("| ", StringComparison.Ordinal));
        foreach (string column in new[] { "PID", "Live", "Freed", "Gen2" })
        {
            Assert.Contains(column, header, StringComparison.Ordinal);
        }
    }

    private static string TableHeader(string output) =>
        output.ReplaceLineEndings("\n").Split('\n').SkipWhile(l => !l.StartsWith("dotnet-alloctrack — ", StringComparison.Ordinal)).Skip(1).First();

    private static void AssertMatches(JsonElement element, IReadOnlyDictionary<string, string> documented, string what, string[]? required = null)
    {
        var present = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (string name in present.Keys)
        {
            Assert.True(documented.ContainsKey(name), $"{what}.{name} is written but not documented in docs/report-format.md");
        }

        foreach (var (name, type) in documented)
        {
            bool optional = type.EndsWith('?');
            if (!present.TryGetValue(name, out var value))
            {
                Assert.True(optional && required?.Contains(name) != true, $"{what}.{name} ({type}) is documented but missing");
                continue;
            }

            Assert.True(HasType(value, type.TrimEnd('?')), $"{what}.{name} is {value.ValueKind} ({value}), documented as {type}");
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "int" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "string" => value.ValueKind == JsonValueKind.String,
        "bool" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" or "string[]" or "{key,value}[]" => value.ValueKind == JsonValueKind.Array,
        _ => throw new Xunit.Sdk.XunitException($"docs/report-format.md uses a type this test does not know: {type}"),
    };
}

/// <summary>The facts docs/report-format.md states, read from its tables.</summary>
internal sealed record ReportFormatDoc(
    IReadOnlyDictionary<string, string> SessionFields,
    IReadOnlyDictionary<string, string> GroupFields,
    IReadOnlyList<string> ProcessFields,
    IReadOnlyList<string> EndReasons,
    string CsvHeader)
{
    public static ReportFormatDoc Load()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "docs", "report-format.md")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("docs/report-format.md not found above the tests");
        }

        string text = File.ReadAllText(Path.Combine(dir, "docs", "report-format.md")).ReplaceLineEndings("\n");
        var session = Rows(Section(text, "### `session`"));
        var groups = Rows(Section(text, "### `groups[]`"));

        // `types[]` is documented as `types[]`; its JSON name is `types`.
        var groupFields = new Dictionary<string, string>();
        foreach (var row in groups)
        {
            foreach (Match name in Regex.Matches(row[0], "`([A-Za-z0-9]+)(\\[\\])?`"))
            {
                groupFields[name.Groups[1].Value] = row[1].Trim('`', ' ');
            }
        }

        var sessionFields = session.ToDictionary(r => r[0].Trim('`', ' '), r => r[1].Trim('`', ' '));
        var processes = session.Single(r => r[0].Contains("processes", StringComparison.Ordinal))[2];
        var endReason = session.Single(r => r[0].Contains("endReason", StringComparison.Ordinal))[2];
        string csv = Regex.Match(Section(text, "## CSV"), "`(processId,[^`]+)`").Groups[1].Value;
        return new ReportFormatDoc(
            sessionFields,
            groupFields,
            Regex.Matches(processes, "`([A-Za-z]+)`").Select(m => m.Groups[1].Value).ToList(),
            Regex.Matches(endReason, "`([a-z-]+)`").Select(m => m.Groups[1].Value).ToList(),
            csv);
    }

    private static string Section(string text, string heading)
    {
        int start = text.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/report-format.md has no '{heading}'");
        int end = text.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    /// <summary>The body rows of the first pipe table in a section, as cells.</summary>
    private static List<string[]> Rows(string section) =>
        section.Split('\n')
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .ToList();
}
