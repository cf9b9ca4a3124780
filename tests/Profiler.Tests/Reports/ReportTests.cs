using TrackingProfiler.Profiler.Session;
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
        Assert.Equal("42,1,orders|parse,10485760,10000000,9400000,10600000,100,,,", lines[1]);
        Assert.StartsWith("42,-1,\"(unknown, \"\"x\"\")\",,102400,,,1", lines[2], StringComparison.Ordinal);
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
