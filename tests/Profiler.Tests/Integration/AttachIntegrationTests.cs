using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Profiler.Tests.Integration;

[Collection("processes")]
public class AttachIntegrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Session_MeasuresExactBytesWithin1Percent_AndEstimatesWithinTheirInterval_WhenTracingARealProcess()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        var process = TargetProcess.TryDescribe(target.Id)!;

        // The target waits on stdin before entering any group, so every thread is in the root group when the
        // session starts: treating unseen threads as root is exact here, as in launch mode.
        await using var session = ProfilingSession.Start(new DiagnosticsClient(target.Id), process, new SessionOptions(), fromFirstInstruction: true);
        await Task.Delay(500); // the rundown of group names arrives first
        await target.SendLineAsync();
        await target.WaitForExitAsync();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var report = session.BuildReport("attach", "target-exited");
        var truth = target.Truth();
        Assert.Equal(0, report.Session.EventsLost);
        Assert.Equal("randomized", report.Session.SamplingMode);
        Assert.Equal(process.RuntimeVersion, report.Session.RuntimeVersion);

        foreach (string name in new[] { "sync", "async" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.Equal(("kind", name), (group.Tags[0].Key, group.Tags[0].Value));

            double exactRatio = group.AllocatedBytes / (double)truth[name];
            output.WriteLine($"{name}: truth {truth[name]:N0}, exact {group.AllocatedBytes:N0} ({exactRatio:0.0000}), estimate {group.EstimatedBytes:N0} [{group.EstimatedBytesLow:N0}, {group.EstimatedBytesHigh:N0}] from {group.Samples} samples");
            Assert.True(exactRatio is >= 0.99 and <= 1.01, $"{name}: exact {group.AllocatedBytes:N0} vs truth {truth[name]:N0} ({exactRatio:0.0000})");

            // The estimate is random: compare it with the exact figure at 4 standard errors (the 95% interval is ±1.96),
            // so the test fails by chance less than once in 10,000 runs.
            Assert.True(group.Samples > 100, $"{name}: only {group.Samples} samples");
            double halfWidth = Math.Max(group.EstimatedBytesHigh!.Value - group.EstimatedBytes, group.EstimatedBytes - group.EstimatedBytesLow!.Value);
            double error = Math.Abs(group.EstimatedBytes - group.AllocatedBytes);
            Assert.True(error <= halfWidth * 4 / 1.96, $"{name}: estimate {group.EstimatedBytes:N0} [{group.EstimatedBytesLow:N0}, {group.EstimatedBytesHigh:N0}] vs exact {group.AllocatedBytes:N0}");
            Assert.Contains(group.Types, t => t.Name == "System.Byte[]");
        }
    }

    [Fact]
    public async Task TickSampling_GivesBiasedEstimatesWithoutInterval_WhenAskedFor()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        var options = new SessionOptions { Sampling = SamplingMode.Tick };
        await using var session = ProfilingSession.Start(new DiagnosticsClient(target.Id), TargetProcess.TryDescribe(target.Id)!, options, fromFirstInstruction: true);
        await Task.Delay(500);
        await target.SendLineAsync();
        await target.WaitForExitAsync();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var report = session.BuildReport("attach", "target-exited");
        Assert.Equal("tick", report.Session.SamplingMode);
        Assert.Contains(report.Session.Notes, n => n.Contains("biased", StringComparison.Ordinal));
        var sync = report.Groups.Single(g => g.Name == "sync");
        Assert.True(sync.Samples > 10);
        Assert.Null(sync.EstimatedBytesLow);
        Assert.InRange(sync.EstimatedBytes / (double)sync.AllocatedBytes, 0.5, 2.0); // biased, but the right magnitude
        output.WriteLine($"tick: exact {sync.AllocatedBytes:N0}, estimate {sync.EstimatedBytes:N0} from {sync.Samples} ticks");
    }

    [Fact]
    public async Task Session_ReportsTheUnknownGroup_WhenAttachedToThreadsItHasNotSeen()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        await using var session = ProfilingSession.Start(new DiagnosticsClient(target.Id), TargetProcess.TryDescribe(target.Id)!, new SessionOptions());
        await Task.Delay(500);
        await target.SendLineAsync();
        await target.WaitForExitAsync();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var report = session.BuildReport("attach", "target-exited");
        Assert.Contains(report.Groups, g => g.Name == "sync" && g.AllocatedBytes > 0);
        Assert.Equal(report.Session.UnknownThreadSamples, report.Groups.Where(g => g.Id == -1).Sum(g => g.Samples));
    }
}
