using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.Report;

/// <summary>`report trace.nettrace` and `--save-trace`, through the real entry point, on real child processes.</summary>
[Collection("processes")]
public class ReportCommandTests(ITestOutputHelper output)
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-report").FullName;

    [Fact]
    public async Task Report_GivesTheLiveReportsGroupsAndCallPaths_WhenReadingATraceSavedByRun()
    {
        string trace = Path.Combine(_dir, "run.nettrace");
        string live = Path.Combine(_dir, "live.json");
        var console = new TestConsole();
        int code = await CliApp.RunAsync(
            ["run", "--stacks", "--save-trace", trace, "--format", "json", "-o", live, "--", "dotnet", TargetProgram.Locate("StacksTarget"), "auto"],
            console).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, code);
        var liveReport = ReportJson.Deserialize(File.ReadAllText(live), "live.json");
        Assert.Contains(liveReport.Session.Notes, n => n.StartsWith("Raw trace saved to " + trace, StringComparison.Ordinal));

        var replayConsole = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["report", trace, "--format", "json"], replayConsole));
        var replay = ReportJson.Deserialize(replayConsole.OutText, "stdout");
        Assert.Equal("report", replay.Session.Mode);
        foreach (string note in liveReport.Session.Notes.Concat(replay.Session.Notes))
        {
            output.WriteLine("note: " + note);
        }

        foreach (string name in new[] { "parse", "render" })
        {
            var fromLive = liveReport.Groups.Single(g => g.Name == name);
            var fromFile = replay.Groups.Single(g => g.Name == name);

            // The same events through the same pipeline: the same figures.
            Assert.Equal(fromLive.Samples, fromFile.Samples);
            Assert.Equal(fromLive.EstimatedBytes, fromFile.EstimatedBytes);
            Assert.Equal(TopLeaf(fromLive), TopLeaf(fromFile));
            output.WriteLine($"{name}: {fromFile.EstimatedBytes:N0} B, top frame {TopLeaf(fromFile)}");
        }

        Assert.Equal("StacksTarget.Parser.ParseRecords", TopLeaf(replay.Groups.Single(g => g.Name == "parse")));
        Assert.Equal("StacksTarget.Renderer.RenderPage", TopLeaf(replay.Groups.Single(g => g.Name == "render")));

        // A trace cut short (the recorder died): the report of what it holds, saying so.
        string cut = Path.Combine(_dir, "cut.nettrace");
        byte[] bytes = await File.ReadAllBytesAsync(trace);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var cutConsole = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["report", cut, "--format", "json"], cutConsole));
        var partial = ReportJson.Deserialize(cutConsole.OutText, "stdout");
        Assert.Equal("truncated-trace", partial.Session.EndReason);
        Assert.Contains(partial.Session.Notes, n => n.StartsWith("The trace ends abruptly", StringComparison.Ordinal));
    }

    public static TheoryData<string, long> DotnetTraceRecordings => new()
    {
        // dotnet-trace collect --clrevents allocationsampling (the level defaults to verbose)
        { "allocationsampling", 0x80000000000 },

        // dotnet-trace collect --profile gc-verbose: GC | GCHandle | Exception, verbose (GCAllocationTick)
        { "gc-verbose", 0x1 | 0x2 | 0x8000 },
    };

    [Theory]
    [MemberData(nameof(DotnetTraceRecordings))]
    public async Task Report_NamesEachGroupsTopFrame_WhenReadingATraceRecordedAsDotnetTraceDoes(string recording, long runtimeKeywords)
    {
        using var target = await TargetProgram.StartAsync("StacksTarget", ["work"]);
        await target.WaitForEndpointAsync();
        string trace = Path.Combine(_dir, recording + ".nettrace");

        // As dotnet-trace does: stacks and rundown on (its defaults), the stream copied to the file as it comes. The
        // groups' provider is what `--providers TrackingProfiler-AllocationGroups` adds on its command line.
        EventPipeProvider[] providers =
        [
            new(RuntimeProvider, EventLevel.Verbose, runtimeKeywords),
            new("TrackingProfiler-AllocationGroups", EventLevel.Informational, 0xF),
        ];
        var client = new DiagnosticsClient(target.Id);
        using (var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 256))
        {
            await using var file = File.Create(trace);
            var copy = session.EventStream.CopyToAsync(file);
            await Task.Delay(500); // the groups' names arrive first
            await target.SendLineAsync();
            await target.WaitForLineAsync("TRUTH ");
            await session.StopAsync(CancellationToken.None);
            await copy.WaitAsync(TimeSpan.FromSeconds(60));
        }

        target.CloseInput();
        var console = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["report", trace, "--format", "json"], console));
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        Assert.Equal(recording == "gc-verbose" ? "tick" : "randomized", report.Session.SamplingMode);
        foreach (string note in report.Session.Notes)
        {
            output.WriteLine("note: " + note);
        }

        var parse = report.Groups.Single(g => g.Name == "parse");
        var render = report.Groups.Single(g => g.Name == "render");
        Assert.Equal("StacksTarget.Parser.ParseRecords", TopLeaf(parse));
        Assert.Equal("StacksTarget.Renderer.RenderPage", TopLeaf(render));

        // Named by the recording's rundown: the pre-attach method and its callers, with their module.
        var top = parse.CallPaths!.OrderByDescending(p => p.EstimatedBytes).First();
        Assert.Equal("StacksTarget.dll", top.Frames[0].Module);
        Assert.DoesNotContain(top.Frames, f => f.Method.StartsWith("0x", StringComparison.Ordinal));
        output.WriteLine($"{recording}: parse {parse.EstimatedBytes:N0} B from {parse.Samples} samples; top path {string.Join(" <- ", top.Frames.Select(f => f.Method))}");
    }

    [Fact]
    public async Task Report_ExitsWithUsageError_WhenTheFileIsMissingOrNotATrace()
    {
        var missing = new TestConsole();
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["report", Path.Combine(_dir, "nope.nettrace")], missing));
        Assert.StartsWith("dotnet-alloctrack: no trace file", missing.ErrorText, StringComparison.Ordinal);

        string garbage = Path.Combine(_dir, "garbage.nettrace");
        await File.WriteAllTextAsync(garbage, "this is not a trace");
        var wrong = new TestConsole();
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["report", garbage], wrong));
        Assert.StartsWith("dotnet-alloctrack: ", wrong.ErrorText, StringComparison.Ordinal);
        Assert.Single(wrong.ErrorText.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", wrong.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveTrace_ExitsWithOutputFailed_BeforeStarting_WhenTheDestinationIsADirectory()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["run", "--save-trace", _dir, "--", "dotnet", TargetProgram.Locate("StacksTarget"), "auto"], console);
        Assert.Equal(ExitCodes.OutputFailed, code);
        Assert.Contains("not a regular file", console.ErrorText, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    private static string TopLeaf(GroupReport group) =>
        group.CallPaths!.GroupBy(p => p.Frames[0].Method).OrderByDescending(l => l.Sum(p => p.EstimatedBytes)).First().Key;
}
