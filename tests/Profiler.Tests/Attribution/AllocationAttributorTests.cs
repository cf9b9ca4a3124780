using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class AllocationAttributorTests
{
    private const int Rundown = EventStream.RundownThread;

    [Fact]
    public void ExactBytes_AreTheLatestTotalLessTheRundownBaseline_WhenAttached()
    {
        var groups = new EventStream()
            .Register(1, "parse")
            .Totals(1, 1_000_000, Rundown) // what the group had allocated before the session
            .Totals(1, 1_004_000)
            .Totals(1, 1_009_000)
            .Groups();

        Assert.Equal(9_000, Assert.Single(groups, g => g.Name == "parse").AllocatedBytes);
    }

    [Fact]
    public void ExactBytes_StartAtZero_ForAGroupRegisteredDuringTheSession()
    {
        var groups = new EventStream()
            .Register(1, "old")
            .Totals(1, 500, Rundown)
            .Register(2, "new", thread: 10) // registered by the application after the rundown
            .Totals(1, 700)
            .Totals(2, 3_000)
            .Groups();

        Assert.Equal(200, groups.Single(g => g.Name == "old").AllocatedBytes);
        Assert.Equal(3_000, groups.Single(g => g.Name == "new").AllocatedBytes);
    }

    [Fact]
    public void ExactBytes_StartAtZero_ForEveryGroup_WhenTheSessionStartedBeforeTheFirstInstruction()
    {
        var groups = new EventStream()
            .Register(1, "g")
            .Totals(1, 4_000, Rundown)
            .Groups(SessionStart.BeforeFirstInstruction);

        Assert.Equal(4_000, groups.Single(g => g.Name == "g").AllocatedBytes);
    }

    [Fact]
    public void ExactBytes_AreHealedByTheNextTotals_WhenEventsAreLostInBetween()
    {
        var (aggregation, _) = new EventStream()
            .Register(1, "g")
            .Totals(1, 0, Rundown)
            .Totals(1, 10_000)
            .Lost(3) // say the totals of 20,000 were among them
            .Totals(1, 30_000)
            .Run();

        Assert.Equal(30_000, aggregation.Snapshot(1).Single(g => g.Name == "g").AllocatedBytes);
        Assert.Equal(3, aggregation.EventsLostCount);
    }

    [Fact]
    public void ExactBytes_KeepTheLargestTotal_WhenTotalsArriveOutOfOrder()
    {
        var (aggregation, attributor) = new EventStream()
            .Register(1, "g")
            .Totals(1, 100, Rundown)
            .Totals(1, 9_100)
            .Totals(1, 5_100) // an older publication delivered late
            .Run();

        Assert.Equal(9_000, aggregation.Snapshot(1).Single(g => g.Name == "g").AllocatedBytes);
        Assert.Equal(1, attributor.Statistics.StaleTotals);
    }

    [Fact]
    public void ExactAge_SaysHowOldTheLastTotalsAreAtTheSessionsEnd()
    {
        var (aggregation, _) = new EventStream()
            .Register(1, "busy").Register(2, "quiet")
            .Totals(1, 0, Rundown).Totals(2, 0, Rundown)
            .Totals(2, 50)   // t ≈ 5 ms
            .Wait(3_000)
            .Totals(1, 100)  // t ≈ 3,006 ms
            .Run();

        var groups = aggregation.Snapshot(1, sessionEndMs: 4_006);
        Assert.Equal(1.0, groups.Single(g => g.Name == "busy").ExactAgeSeconds);
        Assert.Equal(4.001, groups.Single(g => g.Name == "quiet").ExactAgeSeconds);
    }

    [Fact]
    public void ExactBytes_AreNotMeasured_WhenTheTargetPublishesNoTotals()
    {
        var groups = new EventStream().Register(1, "g").Sample(1, 1_000).Groups();
        var g = groups.Single(x => x.Name == "g");
        Assert.Null(g.AllocatedBytes);
        Assert.Null(g.ExactAgeSeconds);
        Assert.Equal(1, g.Samples);
    }

    [Fact]
    public void Samples_GoToTheGroupInTheirActivityId_WhateverThreadTheyRunOn()
    {
        var groups = new EventStream()
            .Register(1, "a").Register(2, "b")
            .Sample(1, 1_000, thread: 10)
            .Sample(2, 1_000, thread: 10)
            .Sample(1, 1_000, thread: 20) // the flow hopped threads: the id hopped with it
            .Groups();

        Assert.Equal(2, groups.Single(g => g.Name == "a").Samples);
        Assert.Equal(1, groups.Single(g => g.Name == "b").Samples);
    }

    [Fact]
    public void Samples_GoToRoot_WhenTheirActivityIdIsEmpty()
    {
        var groups = new EventStream().Sample(GroupIds.Root, 1_000).Groups();
        Assert.Equal(GroupIds.Root, Assert.Single(groups).Id);
        Assert.Equal("(root)", groups[0].Name);
    }

    [Fact]
    public void Samples_WithAForeignActivityId_AreCountedApart_AndNeverAsAGroup()
    {
        var tplId = new Guid("00000001-0000-0000-0000-00000000b10c"); // what TPL's ActivityTracker might set
        var (aggregation, attributor) = new EventStream()
            .Register(1, "g")
            .SampleWithActivity(tplId, 1_000)
            .SampleWithActivity(Guid.NewGuid(), 1_000)
            .Sample(1, 1_000)
            .Run();

        var groups = aggregation.Snapshot(1);
        var foreign = groups.Single(g => g.Id == GroupIds.ForeignActivity);
        Assert.Equal(2, foreign.Samples);
        Assert.Null(foreign.AllocatedBytes);
        Assert.Equal(1, groups.Single(g => g.Name == "g").Samples);
        Assert.Equal(2, attributor.Statistics.ForeignActivitySamples);
    }

    [Fact]
    public void Samples_WithAForeignActivityId_GoToTheResolversGroup_WhenOneClaimsThem()
    {
        var request = Guid.NewGuid();
        var (aggregation, attributor) = new EventStream()
            .SampleWithActivity(request, 1_000)
            .SampleWithActivity(Guid.NewGuid(), 1_000)
            .Run(foreign: new OneIdResolver(request, groupId: 1_000_001));

        var groups = aggregation.Snapshot(1);
        Assert.Equal(1, groups.Single(g => g.Id == 1_000_001).Samples);
        Assert.Equal(1, groups.Single(g => g.Id == GroupIds.ForeignActivity).Samples);
        Assert.Equal(1, attributor.Statistics.ForeignActivitySamples);
    }

    [Fact]
    public void Groups_BeyondTheCap_ArePooledInTheOverflowRow_WithoutExactBytes()
    {
        var stream = new EventStream();
        for (int id = 1; id <= 5; id++)
        {
            stream.Register(id, $"g{id}").Totals(id, 0, EventStream.RundownThread);
        }

        stream.Totals(1, 100).Totals(4, 400).Sample(4, 1_000).Sample(5, 1_000).Sample(2, 1_000);
        var (aggregation, attributor) = stream.Run(groupCapacity: 3);

        var groups = aggregation.Snapshot(1);
        Assert.Equal(["(groups over the cap)", "g1", "g2", "g3"], groups.Select(g => g.Name).Order(StringComparer.Ordinal));
        Assert.Equal(100, groups.Single(g => g.Name == "g1").AllocatedBytes);
        var overflow = groups.Single(g => g.Id == GroupIds.Overflow);
        Assert.Equal(2, overflow.Samples);
        Assert.Null(overflow.AllocatedBytes);
        Assert.True(attributor.Statistics.OverflowEvents > 0);
    }

    [Fact]
    public void MillionsOfGroups_CostAFixedNumberOfRows()
    {
        var aggregation = new GroupAggregationTracker();
        var attributor = new AllocationAttributor([aggregation], SessionStart.Attached, groupCapacity: 1_000);
        for (int id = 1; id <= 1_000_000; id++)
        {
            attributor.OnGroupRegistered(new GroupRegisteredEvent(0, 1, id, "request-" + id, []));
            attributor.OnGroupAllocated(new GroupAllocatedEvent(1, 2, id, 100));
            attributor.OnAllocationSample(new AllocationSampleEvent(2, 10, SampleKind.Randomized, "T", 0, 100, 0, EventContract.ActivityIds.Encode(id)));
        }

        var groups = aggregation.Snapshot(1);
        Assert.Equal(1_001, groups.Count); // 1,000 followed plus the overflow row
        Assert.Equal(999_000, groups.Single(g => g.Id == GroupIds.Overflow).Samples);
    }

    [Fact]
    public void CustomTracker_ReceivesEveryAllocationAndExactUpdate_WithItsGroup()
    {
        var tracker = new RecordingTracker();
        new EventStream()
            .Register(1, "g")
            .Totals(1, 0, Rundown)
            .Sample(1, 1_000, "System.String")
            .Sample(1, 2_000)
            .Totals(1, 3_000)
            .Run(extra: tracker);

        Assert.Equal("g", Assert.Single(tracker.Groups).Name);
        Assert.Equal(2, tracker.Allocations.Count);
        Assert.All(tracker.Allocations, a => Assert.Equal(1, a.GroupId));
        Assert.Equal("System.String", tracker.Allocations[0].TypeName);
        Assert.Equal(SampleWeight.Of(1_000), tracker.Allocations[0].Weight);
        Assert.Equal([0L, 3_000L], tracker.Updates.Select(u => u.Bytes));
    }

    [Fact]
    public void Name_IsAPlaceholder_WhenTheGroupWasNeverRegistered()
    {
        var groups = new EventStream().Sample(7, 1_000).Groups();
        Assert.Equal("(group 7)", groups.Single(g => g.Id == 7).Name);
    }

    [Fact]
    public void TickSamples_AreWeightedByTheirAmount_AndGiveNoInterval()
    {
        var groups = new EventStream()
            .Register(1, "g")
            .Tick(1, 100_000)
            .Tick(1, 110_000)
            .Groups();

        var g = groups.Single(x => x.Name == "g");
        Assert.Equal(210_000, g.EstimatedBytes);
        Assert.Null(g.EstimatedBytesLow);
        Assert.Null(g.EstimatedBytesHigh);
    }

    private sealed class OneIdResolver(Guid id, int groupId) : IForeignActivityResolver
    {
        public bool TryResolve(in AllocationSampleEvent sample, out int group)
        {
            group = groupId;
            return sample.ActivityId == id;
        }
    }

    private sealed class RecordingTracker : IAllocationTracker
    {
        public List<GroupInfo> Groups { get; } = [];

        public List<AttributedAllocation> Allocations { get; } = [];

        public List<ExactBytesUpdate> Updates { get; } = [];

        public void GroupRegistered(in GroupInfo group) => Groups.Add(group);

        public void Allocated(in AttributedAllocation allocation) => Allocations.Add(allocation);

        public void ExactBytesUpdated(in ExactBytesUpdate update) => Updates.Add(update);
    }
}
