using System.Diagnostics;
using TrackingProfiler.Grouping.Activities;

namespace TrackingProfiler.Grouping.Tests.Activities;

/// <summary>Activities as groups. One collection: the grouping is process-wide and only one may be active.</summary>
[Collection("events")]
public class ActivityAllocationGroupsTests
{
    private static readonly ActivitySource s_chosen = new("Tests.Chosen");
    private static readonly ActivitySource s_ignored = new("Tests.Ignored");

    private static IDisposable StartChosen(Func<Activity, string?>? name = null, int max = ActivityAllocationGroups.DefaultMaxGroups) =>
        ActivityAllocationGroups.Start(source => source.Name == "Tests.Chosen", name, max);

    [Fact]
    public void Activity_EntersAGroupNamedAfterIt_AndLeavesItWhenStopped()
    {
        using var grouping = StartChosen();
        using (var activity = s_chosen.StartActivity("checkout"))
        {
            Assert.NotNull(activity);
            var current = AllocationRegistry.CurrentGroup;
            Assert.Equal("checkout", current?.Name);
            Assert.Contains(("activity.source", "Tests.Chosen"), current!.Tags);
        }

        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public void NestedActivities_RestoreTheOuterGroup_WhenTheInnerStops()
    {
        using var grouping = StartChosen();
        using (s_chosen.StartActivity("outer"))
        {
            using (s_chosen.StartActivity("inner"))
            {
                Assert.Equal("inner", AllocationRegistry.CurrentGroup?.Name);
            }

            Assert.Equal("outer", AllocationRegistry.CurrentGroup?.Name);
        }
    }

    [Fact]
    public void SameName_ReusesOneGroup_WhenActivitiesRepeat()
    {
        using var grouping = StartChosen();
        AllocationGroupId first, second;
        using (s_chosen.StartActivity("repeat"))
        {
            first = AllocationRegistry.CurrentGroupId;
        }

        using (s_chosen.StartActivity("repeat"))
        {
            second = AllocationRegistry.CurrentGroupId;
        }

        Assert.Equal(first, second);
    }

    [Fact]
    public void SourcesNotChosen_ChangeNothing()
    {
        using var grouping = StartChosen();
        using var listener = ListenTo("Tests.Ignored"); // so that the ignored source creates activities at all
        using (var activity = s_ignored.StartActivity("not-grouped"))
        {
            Assert.NotNull(activity);
            Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void NullName_LeavesTheCurrentGroupAsItIs()
    {
        var explicitGroup = AllocationGroupToken.Register("explicit");
        using var grouping = StartChosen(a => a.OperationName == "skip" ? null : a.OperationName);
        using (explicitGroup.Enter())
        {
            using (s_chosen.StartActivity("skip"))
            {
                Assert.Equal(explicitGroup.Id, AllocationRegistry.CurrentGroupId);
            }

            Assert.Equal(explicitGroup.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void NamesBeyondTheCap_GoToTheOverflowGroup()
    {
        using var grouping = StartChosen(max: 2);
        var names = new List<string?>();
        for (int i = 0; i < 5; i++)
        {
            using (s_chosen.StartActivity($"order-{i}"))
            {
                names.Add(AllocationRegistry.CurrentGroup?.Name);
            }
        }

        Assert.Equal(["order-0", "order-1", "activity-overflow", "activity-overflow", "activity-overflow"], names);
    }

    [Fact]
    public async Task ActivityStoppedOnAnotherThread_DoesNotChangeThatThreadsGroup()
    {
        var other = AllocationGroupToken.Register("other-thread-group");
        using var grouping = StartChosen();
        var activity = s_chosen.StartActivity("started-here")!;
        var started = AllocationRegistry.CurrentGroup;

        AllocationGroupId onStoppingThread = default;
        await Task.Run(() =>
        {
            using (AllocationRegistry.EnterRoot())
            using (other.Enter())
            {
                activity.Stop();
                onStoppingThread = AllocationRegistry.CurrentGroupId;
            }
        });

        Assert.Equal(other.Id, onStoppingThread);
        Assert.Same(started, AllocationRegistry.CurrentGroup); // the starting flow keeps its group
        using (AllocationGroupToken.Register("reset").Enter())
        {
        }
    }

    [Fact]
    public async Task NeverStoppedActivity_KeepsItsGroupOnlyOnItsOwnFlow()
    {
        using var grouping = StartChosen();
        AllocationGroupId inside = default;
        await Task.Run(() =>
        {
            _ = s_chosen.StartActivity("never-stopped");
            inside = AllocationRegistry.CurrentGroupId;
        });

        Assert.NotEqual(AllocationGroupId.Root, inside);
        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public void Dispose_StopsGrouping_AndAllowsANewStart()
    {
        var grouping = StartChosen();
        Assert.Throws<InvalidOperationException>(() => StartChosen());
        grouping.Dispose();
        using var listener = ListenTo("Tests.Chosen");
        using (s_chosen.StartActivity("after-dispose"))
        {
            Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
        }

        using var again = StartChosen();
    }

    [Fact]
    public async Task ExactBytes_PerActivityName_MatchWhatTheActivitiesAllocated_AcrossAwait()
    {
        using var recorder = new GroupEventRecorder();
        using var grouping = StartChosen();
        long truthA = 0, truthB = 0;
        AllocationGroupToken? a = null, b = null;
        for (int i = 0; i < 20; i++)
        {
            using (s_chosen.StartActivity("activity-a"))
            {
                a = AllocationRegistry.CurrentGroup;
                truthA += Measure(() => new byte[64 * 1024]);
                await ThreadHop.ToNewThread();
                truthA += Measure(() => new byte[64 * 1024]);
            }

            using (s_chosen.StartActivity("activity-b"))
            {
                b = AllocationRegistry.CurrentGroup;
                truthB += Measure(() => new byte[128 * 1024]);
            }
        }

        var bytes = recorder.ExactBytesByGroup();
        Assert.InRange(bytes[a!.Id.Value] / (double)truthA, 0.99, 1.01);
        Assert.InRange(bytes[b!.Id.Value] / (double)truthB, 0.99, 1.01);
    }

    private static object? s_sink;

    private static long Measure(Func<object> allocate)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        s_sink = allocate();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static ActivityListener ListenTo(string sourceName)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
