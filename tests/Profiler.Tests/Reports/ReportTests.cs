using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Tests.Reports;

public class ReportTests
{
    private static AllocationReport Sample(bool frees = false) => ReportSamples.Plain(frees);

    [Fact]
    public void Json_RoundTrips_WhenWrittenAndReadBack()
    {
        var report = Sample(frees: true);
        var back = ReportJson.Deserialize(ReportJson.Serialize(report), "r.json");
        Assert.Equal(report.Groups[0].AllocatedBytes, back.Groups[0].AllocatedBytes);
        Assert.Equal(report.Groups[0].EstimatedBytesHigh, back.Groups[0].EstimatedBytesHigh);
        Assert.Equal(report.Groups[0].LiveBytes, back.Groups[0].LiveBytes);
        Assert.Equal("api", back.Groups[0].Tags[0].Value);
        Assert.Equal(3, back.Session.EventsLost);
    }

    [Fact]
    public void Json_UsesTheDocumentedNames_WhenSerialized()
    {
        string json = ReportJson.Serialize(Sample());
        foreach (string field in new[] { "\"schemaVersion\": 1", "\"allocatedBytes\"", "\"estimatedBytesLow\"", "\"estimatedBytesHigh\"", "\"samples\"", "\"types\"", "\"eventsLost\"", "\"samplingMode\"", "\"runtimeVersion\"", "\"durationSeconds\"", "\"targetPid\"" })
        {
            Assert.Contains(field, json, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("liveBytes", json, StringComparison.Ordinal); // absent without --track-frees
    }

    [Theory]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": ", "malformed or truncated")]
    [InlineData("{ \"schemaVersion\": 99, \"groups\": [] }", "schema version 99")]
    [InlineData("{ \"groups\": [] }", "no schemaVersion")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{ \"schemaVersion\": 1 }", "no 'groups'")]
    [InlineData("", "malformed")]
    [InlineData("{ \"schemaVersion\": 1, \"session\": null, \"groups\": [] }", "null 'session'")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ null ] }", "groups[0] is not an object")]
    [InlineData("{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"a\" } ] }", "groups[0].allocatedBytes is missing")]
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
        Assert.Contains("Allocated (exact): bytes counted by the runtime on each thread", table, StringComparison.Ordinal);
        Assert.Contains("(root): allocations made outside any group", table, StringComparison.Ordinal);
        Assert.Contains("1,024-based", table, StringComparison.Ordinal);
        Assert.DoesNotContain("closed intervals", table, StringComparison.Ordinal);
        Assert.DoesNotContain("(unknown):", table, StringComparison.Ordinal); // no unknown row, no explanation
        Assert.Contains("(unknown): allocations on threads not yet seen", ReportWriters.Render(Sample(), ReportFormat.Table), StringComparison.Ordinal);
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
        Assert.Equal("processId,groupId,name,tags,allocatedBytes,exactIntervals,estimatedBytes,estimatedBytesLow,estimatedBytesHigh,samples,liveBytes,liveBytesLow,liveBytesHigh,freedBytes,gen2Bytes,types", lines[0]);
        Assert.Equal("42,1,orders|parse,tier=api,10485760,12,10000000,9400000,10600000,100,,,,,,System.Collections.Generic.List`1[System.String]=5000000", lines[1]);
        Assert.Equal("42,-1,\"(unknown, \"\"x\"\")\",,,0,102400,,,1,,,,,,", lines[2]);
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
        Assert.Contains("\r\n42,,(process total),,20971520,,,,,,,,,,,\r\n", ReportWriters.Render(report, ReportFormat.Csv), StringComparison.Ordinal);
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
