using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Stacks;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Profiler.Tests.Stacks;

[Collection("processes")]
public class StacksIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stacks_NameEachGroupsAllocatingMethod_WithinFifteenPercent_IncludingMethodsCompiledBeforeAttach()
    {
        using var target = await TargetProgram.StartAsync("StacksTarget", ["work"]);
        await target.WaitForEndpointAsync();
        var process = TargetProcess.TryDescribe(target.Id)!;
        await using var session = ProfilingSession.Start(process, new SessionOptions { Stacks = true }, start: SessionStart.BeforeFirstInstruction);
        await Task.Delay(500); // the rundown of group names arrives first
        await target.SendLineAsync();
        await target.WaitForLineAsync("TRUTH ");

        // Stopped while the target lives: the rundown that names pre-attach code is sent at the stop.
        await session.StopAsync(TimeSpan.FromSeconds(30));
        var report = session.BuildReport("attach", "stopped");
        target.CloseInput();
        var truth = target.Truth();
        foreach (string note in report.Session.Notes)
        {
            output.WriteLine("note: " + note);
        }

        Assert.Equal(0, report.Session.EventsLost);
        var byLeaf = new Dictionary<string, long>();
        foreach (var group in report.Groups.Where(g => g.Name is "parse" or "render"))
        {
            Assert.NotNull(group.CallPaths);
            Assert.InRange(group.CallPaths!.Sum(p => p.EstimatedBytes), group.EstimatedBytes - group.CallPaths!.Count, group.EstimatedBytes + group.CallPaths!.Count);
            foreach (var path in group.CallPaths!.OrderByDescending(p => p.EstimatedBytes).Take(5))
            {
                output.WriteLine($"{group.Name}: {path.EstimatedBytes:N0} B, {path.Samples} samples: {string.Join(" <- ", path.Frames.Take(6).Select(f => $"{f.Method} [{f.Module}]"))}");
            }

            foreach (var leaf in group.CallPaths!.GroupBy(p => p.Frames[0].Method))
            {
                byLeaf[$"{group.Name}/{leaf.Key}"] = leaf.Sum(p => p.EstimatedBytes);
            }
        }

        // Each group's own method is its top frame.
        Assert.Equal("StacksTarget.Parser.ParseRecords", TopLeaf(report, "parse"));
        Assert.Equal("StacksTarget.Renderer.RenderPage", TopLeaf(report, "render"));

        foreach (var (key, bytes) in truth.Where(t => !t.Key.EndsWith("/FormatNumbers", StringComparison.Ordinal)))
        {
            string group = key.Split('/')[0];
            string method = key.Split('/')[1];
            string frame = method switch
            {
                "ParseRecords" => "StacksTarget.Parser.ParseRecords",
                "RenderPage" => "StacksTarget.Renderer.RenderPage",
                _ => "StacksTarget.Buffers.RentScratch",
            };
            long estimate = byLeaf.GetValueOrDefault($"{group}/{frame}");
            double error = (estimate - bytes) / (double)bytes;
            output.WriteLine($"{key}: truth {bytes:N0}, estimate {estimate:N0} ({error:+0.0%;-0.0%;0.0%})");
            Assert.True(Math.Abs(error) <= 0.15, $"{key}: estimate {estimate:N0} vs truth {bytes:N0} ({error:P1})");
        }

        // The shared method is under both groups, in the proportions it allocated there (1:2).
        double sharedRatio = byLeaf["render/StacksTarget.Buffers.RentScratch"] / (double)byLeaf["parse/StacksTarget.Buffers.RentScratch"];
        double truthRatio = truth["render/RentScratch"] / (double)truth["parse/RentScratch"];
        output.WriteLine($"shared render:parse = {sharedRatio:0.000} (truth {truthRatio:0.000})");
        Assert.InRange(sharedRatio / truthRatio, 0.8, 1.25);

        // Compiled before attach, hence named by the rundown only: named, with their module, not addresses.
        var parsePath = report.Groups.Single(g => g.Name == "parse").CallPaths!.OrderByDescending(p => p.EstimatedBytes).First();
        Assert.Equal("StacksTarget.dll", parsePath.Frames[0].Module);
        Assert.Contains(parsePath.Frames, f => f.Method == "StacksTarget.Workload.Parse");
        Assert.DoesNotContain(parsePath.Frames, f => f.Method.StartsWith("0x", StringComparison.Ordinal));

        // Allocations inside precompiled framework code: the framework frames are named too, with their module.
        var framework = report.Groups.Single(g => g.Name == "parse").CallPaths!
            .Where(p => p.Frames.Any(f => f.Method == "StacksTarget.Formatter.FormatNumbers"))
            .OrderByDescending(p => p.EstimatedBytes)
            .First();
        output.WriteLine("framework path: " + string.Join(" <- ", framework.Frames.Select(f => $"{f.Method} [{f.Module}]")));
        Assert.Equal("System.Private.CoreLib.dll", framework.Frames[0].Module);
        Assert.DoesNotContain(framework.Frames, f => f.Method.StartsWith("0x", StringComparison.Ordinal));
    }

    private static string TopLeaf(AllocationReport report, string group) =>
        report.Groups.Single(g => g.Name == group).CallPaths!
            .GroupBy(p => p.Frames[0].Method)
            .OrderByDescending(l => l.Sum(p => p.EstimatedBytes))
            .First().Key;
}
