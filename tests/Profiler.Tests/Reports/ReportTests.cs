using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Tests.Reports;

public class ReportTests
{
    internal static AllocationReport Sample(bool frees = false) => new()
    {
        Session = new SessionReport { Mode = "attach", TargetPid = 42, RuntimeVersion = "10.0.12", SamplingMode = "randomized", EventsLost = 3, TrackFrees = frees, Notes = ["a note"] },
        Groups =
        [
            new GroupReport
            {
                Id = 1, ProcessId = 42, Name = "orders|parse", Tags = [new TagReport("tier", "api")],
                AllocatedBytes = 10 * 1024 * 1024, EstimatedBytes = 10_000_000, EstimatedBytesLow = 9_400_000, EstimatedBytesHigh = 10_600_000, Samples = 100,
                Types = [new TypeReport("System.Collections.Generic.List`1[System.String]", 5_000_000, 50)],
                LiveBytes = frees ? 1_000 : null, FreedBytes = frees ? 2_000 : null, Gen2Bytes = frees ? 0 : null,
            },
            new GroupReport { Id = -1, ProcessId = 42, Name = "(unknown, \"x\")", Samples = 1, EstimatedBytes = 102_400 },
        ],
    };

    /// <summary>A report with every field set to a value that is not its default, so that a field lost anywhere shows.</summary>
    internal static AllocationReport Full() => new()
    {
        Tool = new ToolReport { Name = "dotnet-alloctrack", Version = "9.8.7" },
        Session = new SessionReport
        {
            Mode = "run", TargetPid = 42, RuntimeVersion = "10.0.12", SamplingMode = "randomized", TrackFrees = true,
            StartedAt = new DateTimeOffset(2026, 11, 25, 13, 5, 0, TimeSpan.FromHours(1)), DurationSeconds = 5.25,
            EndReason = "target-exited", EventsLost = 3, EventsProcessed = 12_345, UnknownThreadSamples = 7, ExitCode = 4,
            Processes = [new ProcessReport { ProcessId = 42, Name = "app", RuntimeVersion = "10.0.12", CommandLine = "dotnet app.dll", Traced = true }],
            Notes = ["a note", "another"],
        },
        Groups =
        [
            new GroupReport
            {
                Id = 1, ProcessId = 42, Name = "orders|parse", Tags = [new TagReport("tier", "api"), new TagReport("k", "v")],
                AllocatedBytes = 10 * 1024 * 1024, ExactIntervals = 12, EstimatedBytes = 10_000_000, EstimatedBytesLow = 9_400_000,
                EstimatedBytesHigh = 10_600_000, Samples = 100, Types = [new TypeReport("System.Byte[]", 5_000_000, 50)],
                FreedBytes = 2_000, LiveBytes = 1_000, LiveBytesLow = 500, LiveBytesHigh = 1_500, Gen2Bytes = 300,
            },
        ],
    };

    [Fact]
    public void Json_RoundTripsEveryField_WhenWrittenAndReadBack()
    {
        string json = ReportJson.Serialize(Full());
        var back = ReportJson.Deserialize(json, "r.json");

        // Written again, the report read back is the same text: no field was dropped or changed on the way.
        Assert.Equal(json, ReportJson.Serialize(back));
        Assert.Equal(Full().Session with { Processes = back.Session.Processes, Notes = back.Session.Notes }, back.Session);
        Assert.Equal(Full().Session.Processes, back.Session.Processes);
        Assert.Equal(Full().Session.Notes, back.Session.Notes);
        var group = Assert.Single(back.Groups);
        Assert.Equal(Full().Groups[0] with { Tags = group.Tags, Types = group.Types }, group);
        Assert.Equal(Full().Groups[0].Tags, group.Tags);
        Assert.Equal(Full().Groups[0].Types, group.Types);
        Assert.Equal(Full().Tool, back.Tool);
    }

    [Fact]
    public void Json_UsesEveryDocumentedName_WhenSerialized()
    {
        // docs/report-format.md, schema version 1, field by field.
        using var json = System.Text.Json.JsonDocument.Parse(ReportJson.Serialize(Full()));
        var root = json.RootElement;
        Assert.Equal(["schemaVersion", "tool", "session", "groups"], Names(root));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(["name", "version"], Names(root.GetProperty("tool")));
        Assert.Equal(
            ["mode", "targetPid", "runtimeVersion", "samplingMode", "trackFrees", "startedAt", "durationSeconds", "endReason", "eventsLost", "eventsProcessed", "unknownThreadSamples", "exitCode", "processes", "notes"],
            Names(root.GetProperty("session")));
        Assert.Equal("2026-11-25T13:05:00+01:00", root.GetProperty("session").GetProperty("startedAt").GetString());
        Assert.Equal(["processId", "name", "runtimeVersion", "commandLine", "traced"], Names(root.GetProperty("session").GetProperty("processes")[0]));
        var group = root.GetProperty("groups")[0];
        Assert.Equal(
            ["id", "processId", "name", "tags", "allocatedBytes", "exactIntervals", "estimatedBytes", "estimatedBytesLow", "estimatedBytesHigh", "samples", "types", "freedBytes", "liveBytes", "liveBytesLow", "liveBytesHigh", "gen2Bytes"],
            Names(group));
        Assert.Equal(["key", "value"], Names(group.GetProperty("tags")[0]));
        Assert.Equal(["name", "estimatedBytes", "samples"], Names(group.GetProperty("types")[0]));
    }

    [Fact]
    public void Json_LeavesOutTheFreesFieldsAndUnknownValues_WhenTheyDoNotExist()
    {
        string json = ReportJson.Serialize(Sample());
        foreach (string absent in new[] { "liveBytes", "freedBytes", "gen2Bytes", "exitCode", "commandLine" })
        {
            Assert.DoesNotContain($"\"{absent}\"", json, StringComparison.Ordinal);
        }
    }

    private static List<string> Names(System.Text.Json.JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    [Theory]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": ", "malformed or truncated")]
    [InlineData("{ \"schemaVersion\": 99, \"groups\": [] }", "schema version 99")]
    [InlineData("{ \"groups\": [] }", "no schemaVersion")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{ \"schemaVersion\": 1 }", "no 'groups'")]
    [InlineData("", "malformed")]
    [InlineData("{ \"schemaVersion\": 1, \"session\": null, \"groups\": [] }", "null 'session'")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ null ] }", "a group has no name")]
    public void Deserialize_FailsWithOneClearLine_WhenInputIsBad(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => ReportJson.Deserialize(json, "base.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("base.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Deserialize_Fails_WhenAValidReportIsCutInHalf()
    {
        string json = ReportJson.Serialize(Sample());
        Assert.Throws<InvalidDataException>(() => ReportJson.Deserialize(json[..(json.Length / 2)], "cut.json"));
    }

    [Fact]
    public void Table_ShowsExactEstimateIntervalAndLostEvents()
    {
        string table = ReportRenderer.Render(Sample(), ReportFormat.Table);
        Assert.Contains("events lost: 3", table, StringComparison.Ordinal);
        Assert.Contains("10.0 MB", table, StringComparison.Ordinal);      // exact
        Assert.Contains("9.5 MB (-6%/+6%)", table, StringComparison.Ordinal); // estimate with interval
        Assert.Contains("List`1 4.8 MB", table, StringComparison.Ordinal);
        Assert.Contains("Note: a note", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Live", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_AddsLiveColumns_WhenFreesAreTracked()
    {
        Assert.Contains("Live (est.)", ReportRenderer.Render(Sample(frees: true), ReportFormat.Table), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_EscapesPipes_AndShowsLostEventsInBold()
    {
        string md = ReportRenderer.Render(Sample(), ReportFormat.Markdown);
        Assert.Contains("orders\\|parse", md, StringComparison.Ordinal);
        Assert.Contains("events lost: **3**", md, StringComparison.Ordinal);
        Assert.Contains("| --- |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_QuotesNames_AndLeavesMissingValuesEmpty()
    {
        string[] lines = ReportRenderer.Render(Sample(), ReportFormat.Csv).TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Equal("processId,groupId,name,allocatedBytes,estimatedBytes,estimatedBytesLow,estimatedBytesHigh,samples,liveBytes,freedBytes,gen2Bytes", lines[0]);
        Assert.Equal("42,1,orders|parse,10485760,10000000,9400000,10600000,100,,,", lines[1]);
        Assert.StartsWith("42,-1,\"(unknown, \"\"x\"\")\",0,102400,,,1", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Collections.Generic.List`1[System.String]", "List`1")]
    [InlineData("System.Byte[]", "Byte[]")]
    [InlineData("System.Byte[][]", "Byte[][]")]
    [InlineData("Foo", "Foo")]
    public void ShortTypeName_DropsNamespacesAndGenericArguments(string name, string expected)
    {
        Assert.Equal(expected, ReportRenderer.ShortTypeName(name));
    }

    [Theory]
    [InlineData("512KB", 524_288)]
    [InlineData("1.5 MB", 1_572_864)]
    [InlineData("2GiB", 2_147_483_648)]
    [InlineData("100", 100)]
    public void ByteSize_Parses_WhenWrittenAsPeopleWriteIt(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Fact]
    public void AtomicFile_LeavesNoTemporaryFile_WhenWritten()
    {
        string dir = Directory.CreateTempSubdirectory("alloctrack-atomic").FullName;
        string path = Path.Combine(dir, "r.json");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
        Directory.Delete(dir, true);
    }
}
