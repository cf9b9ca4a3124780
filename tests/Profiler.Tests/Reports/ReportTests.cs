using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Tests.Reports;

public class ReportTests
{
    private static AllocationReport Sample(bool frees = false) => ReportSamples.Plain(frees);

    /// <summary>A report with every field set to a value that is not its default, so that a field lost anywhere shows.</summary>
    internal static AllocationReport Full() => new()
    {
        Tool = new ToolReport { Name = "dotnet-alloctrack", Version = "9.8.7" },
        Session = new SessionReport
        {
            Mode = "run", TargetPid = 42, RuntimeVersion = "10.0.12", SamplingMode = "randomized", TrackFrees = true,
            StartedAt = new DateTimeOffset(2026, 11, 25, 13, 5, 0, TimeSpan.FromHours(1)), DurationSeconds = 5.25,
            EndReason = "target-exited", EventsLost = 3, EventsProcessed = 12_345, ExitCode = 4,
            Processes = [new ProcessReport { ProcessId = 42, Name = "app", RuntimeVersion = "10.0.12", CommandLine = "dotnet app.dll", Traced = true, AllocatedBytes = 20_000_000 }],
            Notes = ["a note", "another"],
        },
        Groups =
        [
            new GroupReport
            {
                Id = 1, ProcessId = 42, Name = "orders|parse", Tags = [new TagReport("tier", "api"), new TagReport("k", "v")],
                AllocatedBytes = 10 * 1024 * 1024, EstimatedBytes = 10_000_000, EstimatedBytesLow = 9_400_000,
                EstimatedBytesHigh = 10_600_000, Samples = 100, Types = [new TypeReport("System.Byte[]", 5_000_000, 50)],
                FreedBytes = 2_000, LiveBytes = 1_000, LiveBytesLow = 500, LiveBytesHigh = 1_500, Gen2Bytes = 300,
                CallPaths = [new CallPathReport([new FrameReport("App.Parser.Parse", "app.dll"), new FrameReport("0x1234", null)], 9_000_000, 90)],
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
        Assert.Equal(Full().Groups[0] with { Tags = group.Tags, Types = group.Types, CallPaths = group.CallPaths }, group);
        var path = Assert.Single(group.CallPaths!);
        Assert.Equal((9_000_000L, 90L), (path.EstimatedBytes, path.Samples));
        Assert.Equal(Full().Groups[0].CallPaths![0].Frames, path.Frames);
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
            ["mode", "targetPid", "runtimeVersion", "samplingMode", "trackFrees", "startedAt", "durationSeconds", "endReason", "eventsLost", "eventsProcessed", "foreignActivitySamples", "exitCode", "processes", "notes", "groupBy"],
            Names(root.GetProperty("session")));
        Assert.Equal("2026-11-25T13:05:00+01:00", root.GetProperty("session").GetProperty("startedAt").GetString());
        Assert.Equal(["processId", "name", "runtimeVersion", "commandLine", "traced", "allocatedBytes"], Names(root.GetProperty("session").GetProperty("processes")[0]));
        var group = root.GetProperty("groups")[0];
        Assert.Equal(
            ["id", "processId", "name", "tags", "allocatedBytes", "estimatedBytes", "estimatedBytesLow", "estimatedBytesHigh", "samples", "types", "freedBytes", "liveBytes", "liveBytesLow", "liveBytesHigh", "gen2Bytes", "callPaths"],
            Names(group));
        Assert.Equal(["frames", "estimatedBytes", "samples"], Names(group.GetProperty("callPaths")[0]));
        Assert.Equal(["method", "module"], Names(group.GetProperty("callPaths")[0].GetProperty("frames")[0]));
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
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ null ] }", "groups[0] is not an object")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\", \"allocatedBytes\": -1 } ] }", "groups[0].allocatedBytes must not be negative")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\", \"allocatedBytes\": 1.5 } ] }", "groups[0].allocatedBytes must be a whole number")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\", \"allocatedBytes\": \"10\" } ] }", "groups[0].allocatedBytes must be a whole number, not string")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\", \"allocatedBytes\": 99999999999999999999 } ] }", "groups[0].allocatedBytes does not fit in 64 bits")]
    [InlineData("{ \"schemaVersion\": 1, \"session\": { \"targetPid\": 1.5 }, \"groups\": [] }", "session.targetPid (line 1) has the wrong type")]
    [InlineData("{ \"schemaVersion\": 1, \"session\": { \"eventsLost\": 2.5 }, \"groups\": [] }", "session.eventsLost must be a whole number")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\", \"allocatedBytes\": 9223372036854775807 }, { \"name\": \"a\", \"allocatedBytes\": 1 } ] }", "the rows of group 'a' add up to more than")]
    public void Deserialize_FailsWithOneClearLine_WhenInputIsBad(string json, string expected)
    {
        var e = Assert.Throws<ProfilerException>(() => ReportJson.Deserialize(json, "base.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("base.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Deserialize_Fails_WhenAValidReportIsCutInHalf()
    {
        string json = ReportJson.Serialize(Sample());
        Assert.Throws<ProfilerException>(() => ReportJson.Deserialize(json[..(json.Length / 2)], "cut.json"));
    }

    [Fact]
    public void Table_ShowsExactEstimateIntervalAndLostEvents()
    {
        string table = ReportWriters.Render(Sample(), ReportFormat.Table);
        Assert.Contains("events lost: 3", table, StringComparison.Ordinal);
        Assert.Contains("10.0 MiB", table, StringComparison.Ordinal);      // exact
        Assert.Contains("9.5 MiB (-6%/+6%)", table, StringComparison.Ordinal); // estimate with interval
        Assert.Contains("List`1 4.8 MiB", table, StringComparison.Ordinal);
        Assert.Contains("Note: a note", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Live", table, StringComparison.Ordinal);
        Assert.DoesNotContain(" MB", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_ShowsADash_WhenExactBytesWereNotMeasured()
    {
        string row = ReportWriters.Render(Sample(), ReportFormat.Table).Split('\n').Single(l => l.StartsWith("(unknown, ", StringComparison.Ordinal));
        Assert.Matches(@"^\(unknown, ""x""\)\s+—\s+100\.0 KiB", row);
        Assert.DoesNotContain("0 B", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_ExplainsItsColumnsRowsAndUnits_InTheOutput()
    {
        string table = ReportWriters.Render(ReportSamples.WithCallPaths(), ReportFormat.Table);
        Assert.Contains("Allocated (exact): bytes the runtime counted on each thread, summed per group", table, StringComparison.Ordinal);
        Assert.Contains("(root): allocations made outside any group", table, StringComparison.Ordinal);
        Assert.Contains("1,024-based", table, StringComparison.Ordinal);
        Assert.DoesNotContain("closed intervals", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Other rows in parentheses", table, StringComparison.Ordinal); // no pool row, no explanation
        Assert.Contains("Other rows in parentheses are the tool's own pools", ReportWriters.Render(Sample(), ReportFormat.Table), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_AddsLiveColumns_WhenFreesAreTracked()
    {
        string table = ReportWriters.Render(Sample(frees: true), ReportFormat.Table);
        Assert.Contains("Live (est.)", table, StringComparison.Ordinal);
        Assert.Contains("Gen2 (est.)", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_ShowsTheTopFramesOfEachGroup_BoundedToThreePathsOfFourFrames()
    {
        var report = ReportSamples.WithCallPaths();
        var deep = Enumerable.Range(0, 10).Select(i => new FrameReport($"Deep.Frame{i}", "d.dll")).ToList();
        report = report with
        {
            Groups = [report.Groups[0] with { CallPaths = [.. Enumerable.Range(0, 6).Select(i => new CallPathReport(deep, 1000 - i, 1))] }, .. report.Groups.Skip(1)],
        };
        string table = ReportWriters.Render(report, ReportFormat.Table);
        Assert.Contains("Top call paths", table, StringComparison.Ordinal);
        Assert.Contains("Deep.Frame0 ← Deep.Frame1 ← Deep.Frame2 ← Deep.Frame3 ← … (+6 frames)", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Deep.Frame4", table, StringComparison.Ordinal);
        Assert.Equal(3, table.Split('\n').Count(l => l.Contains("Deep.Frame0", StringComparison.Ordinal)));
        Assert.Contains("Thumbnail.Render ← Program.Main", table, StringComparison.Ordinal);
    }

    [Fact]
    public void TableMarkdownAndCsv_HaveTheSameColumns_FromOneList()
    {
        var report = Sample(frees: true);
        string table = ReportWriters.Render(report, ReportFormat.Table);
        string markdown = ReportWriters.Render(report, ReportFormat.Markdown);
        string csvHeader = ReportWriters.Render(report, ReportFormat.Csv).Split("\r\n")[0];
        foreach (var column in ReportColumns.Visible(ReportColumns.For(report)))
        {
            Assert.Contains(column.Heading!, table, StringComparison.Ordinal);
            Assert.Contains(" " + column.Heading + " |", markdown.Split('\n').First(l => l.StartsWith("| Group", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains(column.CsvName!, csvHeader.Split(','));
        }

        Assert.Contains("Gen2 (est.)", markdown, StringComparison.Ordinal);
        Assert.Contains("tags", csvHeader.Split(','));
        Assert.Contains("types", csvHeader.Split(','));
    }

    [Fact]
    public void Markdown_EscapesPipes_AndShowsLostEventsInBold()
    {
        string md = ReportWriters.Render(Sample(), ReportFormat.Markdown);
        Assert.Contains("orders\\|parse", md, StringComparison.Ordinal);
        Assert.Contains("events lost: **3**", md, StringComparison.Ordinal);
        Assert.Contains("| --- |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_KeepsTagsAndTypes_AndLeavesUnmeasuredValuesEmpty()
    {
        string[] lines = ReportWriters.Render(Sample(), ReportFormat.Csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("processId,groupId,name,tags,allocatedBytes,estimatedBytes,estimatedBytesLow,estimatedBytesHigh,samples,liveBytes,liveBytesLow,liveBytesHigh,freedBytes,gen2Bytes,types", lines[0]);
        Assert.Equal("42,1,orders|parse,tier=api,10485760,10000000,9400000,10600000,100,,,,,,System.Collections.Generic.List`1[System.String]=5000000", lines[1]);
        Assert.Equal("42,-1,\"(unknown, \"\"x\"\")\",,,102400,,,1,,,,,,", lines[2]);
    }

    [Fact]
    public void EveryTabularFormat_EndsWithTheProcessTotal_WhenTheRuntimeCounterWasRead()
    {
        var report = Sample() with
        {
            Session = Sample().Session with { Processes = [new ProcessReport { ProcessId = 42, Name = "app", Traced = true, AllocatedBytes = 20 * 1024 * 1024 }] },
        };
        Assert.Matches(@"\(process total\)\s+20\.0 MiB", ReportWriters.Render(report, ReportFormat.Table));
        Assert.Contains("(process total): every byte the process allocated", ReportWriters.Render(report, ReportFormat.Table), StringComparison.Ordinal);
        Assert.Contains("| **(process total)** |  | **20.0 MiB** |", ReportWriters.Render(report, ReportFormat.Markdown), StringComparison.Ordinal);
        Assert.Contains("\r\n42,,(process total),,20971520,,,,,,,,,,\r\n", ReportWriters.Render(report, ReportFormat.Csv), StringComparison.Ordinal);
        Assert.Contains("<tr class=\"total\">", ReportWriters.Render(report, ReportFormat.Html), StringComparison.Ordinal);
        Assert.DoesNotContain("(process total)", ReportWriters.Render(Sample(), ReportFormat.Table), StringComparison.Ordinal); // not measured: no row
    }

    [Fact]
    public void ReportWriters_HasAWriterForEveryFormat_AndRefusesUndefinedOnes()
    {
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            Assert.NotNull(ReportWriters.For(format));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ReportWriters.For((ReportFormat)99));
        Assert.Throws<ArgumentException>(() => ReportWriters.Render(Sample(), ReportFormat.Pprof));
    }

    [Theory]
    [InlineData("System.Threading.AsyncLocal`1[System.__Canon].set_Value", "AsyncLocal`1.set_Value")]
    [InlineData("TrackingProfiler.Cli.Demo.DemoWorkload+<>c.<MakeThumbnailsAsync>b__9_0", "DemoWorkload+<>c.<MakeThumbnailsAsync>b__9_0")]
    [InlineData("System.String.Split", "String.Split")]
    [InlineData("Main", "Main")]
    public void ShortMethodName_KeepsTypeAndMethod_ForTheTableAndMarkdown(string method, string expected)
    {
        Assert.Equal(expected, CallPathLines.ShortMethodName(method));
    }

    [Theory]
    [InlineData("System.Collections.Generic.List`1[System.String]", "List`1")]
    [InlineData("System.Byte[]", "Byte[]")]
    [InlineData("System.Byte[][]", "Byte[][]")]
    [InlineData("Foo", "Foo")]
    public void ShortTypeName_DropsNamespacesAndGenericArguments(string name, string expected)
    {
        Assert.Equal(expected, ReportFigures.ShortTypeName(name));
    }

    [Theory]
    [InlineData("512KiB", 524_288)]
    [InlineData("512KB", 512_000)]
    [InlineData("1.5 MiB", 1_572_864)]
    [InlineData("1.5 MB", 1_500_000)]
    [InlineData("2GiB", 2_147_483_648)]
    [InlineData("4k", 4_096)]
    [InlineData("100", 100)]
    public void ByteSize_Parses_WhenWrittenAsPeopleWriteIt(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 parsecs")]
    [InlineData("99999999999 TiB")]
    [InlineData("-5")]
    public void ByteSize_Refuses_WhenNotASize(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1_572_864, "1.5 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void ByteSize_LabelsBinaryUnitsAsSuch_WhenFormatting(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
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
