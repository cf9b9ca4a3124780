using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using Xunit.Abstractions;

namespace TrackingProfiler.Profiler.Tests.Integration;

/// <summary>
/// Frees inferred from a real runtime: FreesTarget keeps 32 MiB alive in group "retained" and throws away ~300 MB in
/// group "garbage", then runs forced compacting gen2 GCs. The session attaches before any of it.
/// </summary>
public class FreesIntegrationTests(ITestOutputHelper output)
{
    // 32,768 arrays of 1,000 bytes: 1,024 bytes each with the array header, 32 MiB in all.
    private const double RetainedBytes = 32.0 * 1024 * 1024;

    [Fact]
    public async Task TrackFrees_ReportsRetainedLiveBytesAndFreedGarbage_WhenAttachedToARealProcess()
    {
        var report = await ProfileAsync();

        var retained = Single(report, "retained");
        Assert.InRange(retained.LiveBytes!.Value, RetainedBytes * 0.75, RetainedBytes * 1.25);
        Assert.InRange(retained.Gen2Bytes!.Value, RetainedBytes * 0.75, RetainedBytes * 1.25);

        var garbage = Single(report, "garbage");
        Assert.True(garbage.EstimatedBytes > 200L * 1024 * 1024, $"garbage estimated {garbage.EstimatedBytes:N0}");
        Assert.InRange(garbage.LiveBytes!.Value, 0, garbage.EstimatedBytes * 0.05);
    }

    [Fact]
    public async Task TrackFrees_SeesHalfOfTheRetainedArraysDie_WhenAGen2GcFindsThemDeadWhileGarbageIsAllocated()
    {
        // The target releases every other retained array (all in gen2 by then) and triggers a non-blocking gen2 GC
        // while it allocates garbage.
        var report = await ProfileAsync("--background");

        // Half of the retained group's samples must be found dead. Compared with the group's own estimate, the
        // ratio's sampling error is binomial (~300 samples: σ ≈ 3%), far tighter than live bytes against 16 MiB (σ ≈ 8%).
        var retained = Single(report, "retained");
        double liveShare = (double)retained.LiveBytes!.Value / retained.EstimatedBytes;
        Assert.InRange(liveShare, 0.5 * 0.75, 0.5 * 1.25);
        Assert.Equal(retained.EstimatedBytes, retained.LiveBytes.Value + retained.FreedBytes!.Value, tolerance: 2);
        var garbage = Single(report, "garbage");
        Assert.InRange(garbage.LiveBytes!.Value, 0, garbage.EstimatedBytes * 0.05);
    }

    private async Task<AllocationReport> ProfileAsync(params string[] args)
    {
        using var target = await FreesTargetProcess.StartAsync(args);
        var description = TargetProcess.TryDescribe(target.ProcessId) ?? new TargetProcess(target.ProcessId, "FreesTarget", null, null);
        await using var session = ProfilingSession.Start(description, new SessionOptions { TrackFrees = true });
        await Task.Delay(500);
        target.Send("go");
        await target.WaitForLineAsync("READY");
        await session.StopAsync(TimeSpan.FromSeconds(15));
        target.Send("exit");
        await target.ReadToEndAsync();

        var report = session.BuildReport("attach", "stopped");
        Log(report, target);
        Assert.Equal(0, report.Session.EventsLost);
        return report;
    }

    private void Log(AllocationReport report, FreesTargetProcess target)
    {
        foreach (var group in report.Groups)
        {
            output.WriteLine(
                $"{group.Name}: allocated(exact)={group.AllocatedBytes:N0} estimated={group.EstimatedBytes:N0} samples={group.Samples} " +
                $"live={group.LiveBytes:N0} [{group.LiveBytesLow:N0}, {group.LiveBytesHigh:N0}] freed={group.FreedBytes:N0} gen2={group.Gen2Bytes:N0}");
        }

        output.WriteLine($"events={report.Session.EventsProcessed:N0} lost={report.Session.EventsLost} notes={string.Join(" | ", report.Session.Notes)}");
        output.WriteLine(string.Join('\n', target.Output));
    }

    private static GroupReport Single(AllocationReport report, string name) =>
        report.Groups.SingleOrDefault(g => g.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no group '{name}' in the report: {string.Join(", ", report.Groups.Select(g => g.Name))}");
}
