using TrackingProfiler.Cli.Tests.Faults;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Tests.Check;

/// <summary>Faults 4, 7 and 8 of the gate: each ends in its documented code with one line.</summary>
public class CheckFaultTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-check-faults").FullName;

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteReport(string name, long bytes = 1_000, long eventsLost = 0) => Write(name, ReportJson.Serialize(new AllocationReport
    {
        Session = new SessionReport { EventsLost = eventsLost, EventsProcessed = 1_000_000 },
        Groups = [new GroupReport { Id = 1, Name = "parse", AllocatedBytes = bytes }],
    }));

    [Fact]
    public async Task Check_ExitsEventsLost_WhenTheReportLostEvents()
    {
        await FaultAssert.FailsAsync(ExitCodes.EventsLost, "r.json lost 15,800,000 of 16,800,000 events", "check", WriteReport("r.json", eventsLost: 15_800_000), "--baseline", WriteReport("b.json"));
    }

    [Fact]
    public async Task Check_ExitsEventsLost_WhenTheBaselineLostEvents()
    {
        await FaultAssert.FailsAsync(ExitCodes.EventsLost, "b.json lost 3 of", "check", WriteReport("r.json"), "--baseline", WriteReport("b.json", eventsLost: 3));
    }

    [Fact]
    public async Task Check_GatesAndWarns_WhenLostEventsAreAllowed()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["check", WriteReport("r.json", eventsLost: 7), "--baseline", WriteReport("b.json"), "--allow-lost-events"], console);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Gate passed", console.OutText, StringComparison.Ordinal);
        Assert.Contains("warning: r.json lost 7 of 1,000,007 events", console.ErrorText, StringComparison.Ordinal);
        Assert.Contains("exact bytes may be too low", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_StillFailsARegression_WhenLostEventsAreAllowed()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["check", WriteReport("r.json", bytes: 5_000, eventsLost: 7), "--baseline", WriteReport("b.json"), "--allow-lost-events"], console);
        Assert.Equal(ExitCodes.GateFailed, code);
    }

    public static TheoryData<string, string> MalformedReports => new()
    {
        { """{ "schemaVersion": 1, "groups": [ { "name": "a", "allocatedBytes": 9223372036854775807 }, { "name": "a", "allocatedBytes": 9223372036854775807 } ] }""", "the rows of group 'a' add up to more than" },
        { """{ "schemaVersion": 1, "groups": [ { "name": "a", "allocatedBytes": -5 } ] }""", "groups[0].allocatedBytes must not be negative" },
        { """{ "schemaVersion": 1, "groups": [ { "name": "a", "allocatedBytes": 1.5 } ] }""", "groups[0].allocatedBytes must be a whole number" },
        { """{ "schemaVersion": 1, "groups": [ { "name": "a", "allocatedBytes": 1, "samples": 2.5 } ] }""", "groups[0].samples must be a whole number" },
        { """{ "schemaVersion": 1, "session": { "targetPid": 4.2 }, "groups": [] }""", "session.targetPid (line 1) has the wrong type" },
        { """{ "schemaVersion": 1, "groups": [ { "name": "a\u001b]0;owned\u0007", "allocatedBytes": -1 } ] }""", "groups[0].allocatedBytes must not be negative" },
    };

    [Theory]
    [MemberData(nameof(MalformedReports))]
    public async Task Check_ExitsUsageErrorNamingTheField_WhenTheReportIsMalformed(string json, string expected)
    {
        await FaultAssert.FailsAsync(ExitCodes.UsageError, expected, "check", Write("r.json", json), "--baseline", WriteReport("b.json"));
    }

    [Theory]
    [InlineData("""{ "schemaVersion": 1, "groups": { "parse": { "maxIncrease": "Infinity%" } } }""", "'parse'.maxIncrease")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "parse": { "maxAllocatedBytes": "1MB" }, "parse": { "maxAllocatedBytes": "1KB" } } }""", "'groups' gives 'parse' twice")]
    public async Task Check_ExitsUsageErrorNamingTheKey_WhenTheBudgetIsWrong(string json, string expected)
    {
        await FaultAssert.FailsAsync(ExitCodes.UsageError, expected, "check", WriteReport("r.json"), "--budget", Write("budget.json", json));
    }

    [Fact]
    public async Task Check_RefusesToOverwriteItsInput_WhenOutputIsTheReport()
    {
        string report = WriteReport("r.json");
        string before = File.ReadAllText(report);
        await FaultAssert.FailsAsync(ExitCodes.UsageError, "is the report being checked; refusing to overwrite an input", "check", report, "--baseline", WriteReport("b.json"), "-o", report);
        Assert.Equal(before, File.ReadAllText(report));
    }

    [Fact]
    public async Task Check_RefusesToOverwriteTheBaseline_WhenOutputIsTheBaseline()
    {
        string baseline = WriteReport("b.json");
        await FaultAssert.FailsAsync(ExitCodes.UsageError, "is the baseline being checked", "check", WriteReport("r.json"), "--baseline", baseline, "-o", Path.Combine(_dir, ".", "b.json"));
    }

    [Fact]
    public async Task Check_RefusesCsv_WhenTheOutputExtensionAsksForIt()
    {
        string output = Path.Combine(_dir, "gate.csv");
        await FaultAssert.FailsAsync(ExitCodes.UsageError, "gate.csv asks for csv", "check", WriteReport("r.json"), "--baseline", WriteReport("b.json"), "-o", output);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Check_RefusesAHugeReportWithOneLine_InsteadOfRunningOutOfMemory()
    {
        // A sparse 1.2 GB file: costs no disk, and would cost gigabytes of memory to parse.
        string huge = Path.Combine(_dir, "huge.json");
        using (var stream = File.Create(huge))
        {
            stream.SetLength(1_200_000_000);
        }

        await FaultAssert.FailsAsync(ExitCodes.UsageError, "larger than the 256.0 MB this tool reads as an input (it is 1.1 GB)", "check", huge, "--baseline", WriteReport("b.json"));
    }
}
