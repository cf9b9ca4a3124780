using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class AllocationAttributorTests
{
    [Fact]
    public void ExactBytes_AreCounterDifferences_WhenAThreadEntersAndLeavesAGroup()
    {
        var groups = new EventStream()
            .Register(1, "parse")
            .Change(thread: 10, from: 0, to: 1, counter: 1_000)
            .Change(thread: 10, from: 1, to: 0, counter: 5_000)
            .Groups();

        var parse = Assert.Single(groups, g => g.Name == "parse");
        Assert.Equal(4_000, parse.AllocatedBytes);
        Assert.Equal(1, parse.ExactIntervals);
    }

    [Fact]
    public void ExactBytes_SumAcrossThreads_WhenAGroupHopsThreads()
    {
        var groups = new EventStream()
            .Register(1, "async")
            .Change(10, 0, 1, 100)       // thread 10 enters
            .Change(10, 1, 0, 1_100)     // await: thread 10 leaves (1,000 B)
            .Change(20, 0, 1, 50_000)    // continuation on thread 20
            .Change(20, 1, 0, 52_500)    // done (2,500 B)
            .Groups();

        Assert.Equal(3_500, groups.Single(g => g.Name == "async").AllocatedBytes);
    }

    [Fact]
    public void FirstChangeOnAThread_AttributesNothing_WhenAttachedMidFlight()
    {
        var groups = new EventStream()
            .Register(1, "g")
            .Change(10, 1, 0, 9_999_999) // the interval before the first event is unknown
            .Groups();

        Assert.DoesNotContain(groups, g => g.AllocatedBytes != 0);
    }

    [Fact]
    public void Samples_GoToTheUnknownGroup_WhenTheThreadHasNotChangedGroupSinceAttach()
    {
        var (aggregation, _) = new EventStream()
            .Register(1, "g")
            .Sample(thread: 10, size: 1_000)
            .Change(10, 0, 1, 0)
            .Sample(thread: 10, size: 1_000)
            .Run();

        var groups = aggregation.Snapshot(1);
        Assert.Equal(1, groups.Single(g => g.Id == GroupIds.Unknown).Samples);
        Assert.Equal(1, groups.Single(g => g.Name == "g").Samples);
        Assert.Equal(1, aggregation.UnknownThreadSamples);
    }

    [Fact]
    public void Samples_GoToRoot_WhenTheSessionStartedBeforeTheFirstInstruction()
    {
        var groups = new EventStream().Sample(10, 1_000).Groups(fromFirstInstruction: true);
        Assert.Equal(GroupIds.Root, Assert.Single(groups).Id);
    }

    [Fact]
    public void LostEvents_ResetThreads_AndAreCounted()
    {
        var (aggregation, attributor) = new EventStream()
            .Register(1, "g")
            .Change(10, 0, 1, 0)
            .Lost(5)
            .Change(10, 1, 0, 10_000)   // spans lost events: must not be attributed
            .Sample(11, 100)            // unseen thread after a loss: unknown, even in launch mode
            .Run(fromFirstInstruction: true);

        Assert.Equal(5, aggregation.EventsLostCount);
        var groups = aggregation.Snapshot(1);
        Assert.Equal(0, groups.Single(g => g.Name == "g").AllocatedBytes);
        Assert.Equal(GroupIds.Unknown, groups.Single(g => g.Samples == 1).Id);
        Assert.Equal(1, attributor.Threads.ThreadCount);
    }

    [Fact]
    public void Interval_IsDropped_WhenTheCounterGoesBackwards()
    {
        var (aggregation, attributor) = new EventStream()
            .Register(1, "g")
            .Change(10, 0, 1, 50_000)
            .Change(10, 1, 0, 1_000) // a new thread reused id 10
            .Run();

        Assert.Equal(0, aggregation.Snapshot(1).Single(g => g.Name == "g").AllocatedBytes);
        Assert.Equal(1, attributor.Threads.CounterResets);
    }

    [Fact]
    public void Name_IsFilledIn_WhenTheGroupIsRegisteredAfterItsFirstChange()
    {
        var groups = new EventStream()
            .Change(10, 0, 7, 0)
            .Change(10, 7, 0, 10)
            .Register(7, "late", ("k", "v"))
            .Groups();

        var late = Assert.Single(groups, g => g.Id == 7);
        Assert.Equal("late", late.Name);
        Assert.Equal("k", Assert.Single(late.Tags).Key);
    }

    [Fact]
    public void Name_IsAPlaceholder_WhenTheGroupWasNeverRegistered()
    {
        var groups = new EventStream().Change(10, 0, 7, 0).Change(10, 7, 0, 10).Groups();
        Assert.Equal("(group 7)", groups.Single(g => g.Id == 7).Name);
    }

    [Fact]
    public void Inconsistency_IsCounted_AndFromGroupTrusted_WhenTheTableDisagrees()
    {
        var (aggregation, attributor) = new EventStream()
            .Register(1, "a").Register(2, "b")
            .Change(10, 0, 1, 0)
            .Change(10, 2, 0, 100) // the table thought 1; the thread says 2
            .Run();

        Assert.Equal(100, aggregation.Snapshot(1).Single(g => g.Name == "b").AllocatedBytes);
        Assert.Equal(1, attributor.Threads.Inconsistencies);
    }

    [Fact]
    public void CustomTracker_ReceivesEveryAllocationAndInterval_WithItsGroup()
    {
        var tracker = new RecordingTracker();
        new EventStream()
            .Register(1, "g")
            .Change(10, 0, 1, 0)
            .Sample(10, 1_000, "System.String")
            .Sample(10, 2_000)
            .Change(10, 1, 0, 3_000)
            .Run(fromFirstInstruction: false, tracker);

        Assert.Equal("g", Assert.Single(tracker.Groups).Name);
        Assert.Equal(2, tracker.Allocations.Count);
        Assert.All(tracker.Allocations, a => Assert.Equal(1, a.GroupId));
        Assert.Equal("System.String", tracker.Allocations[0].TypeName);
        Assert.Equal(SampleWeight.Of(1_000), tracker.Allocations[0].Weight);
        Assert.Equal(3_000, Assert.Single(tracker.Intervals).Bytes);
    }

    [Fact]
    public void TickSamples_AreWeightedByTheirAmount_AndGiveNoInterval()
    {
        var groups = new EventStream()
            .Register(1, "g")
            .Change(10, 0, 1, 0)
            .Tick(10, 100_000)
            .Tick(10, 110_000)
            .Groups();

        var g = groups.Single(x => x.Name == "g");
        Assert.Equal(210_000, g.EstimatedBytes);
        Assert.Null(g.EstimatedBytesLow);
        Assert.Null(g.EstimatedBytesHigh);
    }

    private sealed class RecordingTracker : IAllocationTracker
    {
        public List<GroupInfo> Groups { get; } = [];

        public List<AttributedAllocation> Allocations { get; } = [];

        public List<ExactBytesInterval> Intervals { get; } = [];

        public void GroupRegistered(in GroupInfo group) => Groups.Add(group);

        public void Allocated(in AttributedAllocation allocation) => Allocations.Add(allocation);

        public void ExactBytesAttributed(in ExactBytesInterval interval) => Intervals.Add(interval);
    }
}
