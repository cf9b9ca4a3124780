using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>What the report says about exact bytes, from synthetic streams through the real attributor and builder.</summary>
public class ExactBytesNotesTests
{
    [Fact]
    public void Report_SaysAGroupMissesBytes_WhenItWasSampledAfterItsLastTotals()
    {
        var report = Build(new EventStream()
            .Register(1, "g")
            .Totals(1, 0, EventStream.RundownThread)
            .Totals(1, 5_000)
            .Sample(1, 1_000), "target-exited");

        Assert.Contains(report.Session.Notes, n => n.Contains("1 group(s) were sampled after their last totals", StringComparison.Ordinal)
            && n.Contains("while it exits", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_SaysNothingAboutMissingBytes_WhenTheLastTotalsCameAfterTheLastSample()
    {
        var report = Build(new EventStream()
            .Register(1, "g")
            .Totals(1, 0, EventStream.RundownThread)
            .Sample(1, 1_000)
            .Totals(1, 5_000)
            .Wait(10_000), "target-exited"); // idle since: old totals, but complete

        Assert.DoesNotContain(report.Session.Notes, n => n.Contains("sampled after their last totals", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_SaysSamplesWereLost_AndExactIsNotMeasured_WhenNoTotalsCame()
    {
        var report = Build(new EventStream().Register(1, "g").Sample(1, 1_000).Lost(7), "stopped");

        Assert.Contains(report.Session.Notes, n => n.Contains("lost 7 events: samples were lost", StringComparison.Ordinal));
        Assert.Contains(report.Session.Notes, n => n.Contains("published no group totals", StringComparison.Ordinal));
        Assert.Null(report.Groups.Single(g => g.Name == "g").AllocatedBytes);
    }

    [Fact]
    public void Report_CountsForeignSamples_InTheSessionAndANote()
    {
        var report = Build(new EventStream().SampleWithActivity(Guid.NewGuid(), 1_000), "stopped");

        Assert.Equal(1, report.Session.ForeignActivitySamples);
        Assert.Contains(report.Session.Notes, n => n.Contains("(foreign activity), not as a group", StringComparison.Ordinal));
    }

    private static AllocationReport Build(EventStream stream, string endReason)
    {
        var (aggregation, attributor) = stream.Run();
        var summary = new TracedProcessSummary
        {
            Process = new ProcessReport { ProcessId = 42, Name = "t", Traced = true },
            SamplingMode = "randomized",
            Start = SessionStart.Attached,
            TotalsIntervalMs = 1_000,
            EventsLost = aggregation.EventsLostCount,
            Attribution = attributor.Statistics,
            Groups = aggregation.Snapshot(42, sessionEndMs: 20_000),
            GroupsSampledAfterTheirTotals = aggregation.GroupsSampledAfterTheirTotals(),
        };
        return ReportBuilder.Build(new ReportBuilder.SessionFacts("attach", endReason, DateTimeOffset.UnixEpoch, 20), [summary]);
    }
}
