using System.Diagnostics;
using TrackingProfiler.Grouping.Activities;

namespace TrackingProfiler.Grouping.Tests.Activities;

/// <summary>Activities as groups. One collection: the grouping is process-wide and only one may be active.</summary>
[Collection("events")]
public class ActivityAllocationGroupsTests
{
    private static readonly ActivitySource s_chosen = new("Tests.Chosen");
    private static readonly ActivitySource s_ignored = new("Tests.Ignored");

    // Activities are followed only while someone looks at groups: these tests look through tracking.
    private static IDisposable StartChosen(Func<Activity, string?>? name = null, int max = ActivityAllocationGroups.DefaultMaxGroups)
    {
        var grouping = StartChosenUnobserved(name, max); // first: if it throws, tracking was not turned on
        return new Both(new TrackingScope(), grouping);
    }

    private static IDisposable StartChosenUnobserved(Func<Activity, string?>? name = null, int max = ActivityAllocationGroups.DefaultMaxGroups) =>
        ActivityAllocationGroups.Start(source => source.Name == "Tests.Chosen", name, max);

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            second.Dispose();
            first.Dispose();
        }
    }

    [Fact]
    public void NoActivityIsCreated_AndNothingIsAllocated_WhileNobodyLooks()
    {
        using var grouping = StartChosenUnobserved();
        Assert.False(ActivityAllocationGroups.IsFollowing);
        for (int i = 0; i < 10; i++)
        {
            RunRequest(); // warm
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Assert.False(RunRequest());
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static bool RunRequest()
        {
            using var activity = s_chosen.StartActivity("unobserved");
            return activity is not null;
        }
    }

    [Fact]
    public void Following_StartsWhenTrackingOrASessionTurnsOn_AndStopsWhenBothAreOff()
    {
        using var grouping = StartChosenUnobserved();
        Assert.False(ActivityAllocationGroups.IsFollowing);
        using (new TrackingScope())
        {
            Assert.True(ActivityAllocationGroups.IsFollowing);
            using (s_chosen.StartActivity("followed"))
            {
                Assert.Equal("followed", AllocationRegistry.CurrentGroup?.Name);
            }
        }

        Assert.False(ActivityAllocationGroups.IsFollowing);
        using (new GroupEventRecorder(EventContract.KeywordRegistration))
        {
            Assert.True(ActivityAllocationGroups.IsFollowing); // any keyword of a session is enough
        }

        Assert.False(ActivityAllocationGroups.IsFollowing);
        using (s_chosen.StartActivity("unfollowed"))
        {
            Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
        }
    }

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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExactBytes_PerActivityName_MatchWhatTheActivitiesAllocated_AcrossAwait(bool viaTotalsEvents)
    {
        // Looked at either by tracking (AllocatedBytes) or by a session (its totals): the same exact figures.
        using var recorder = viaTotalsEvents ? new GroupEventRecorder() : null;
        using var grouping = viaTotalsEvents ? StartChosenUnobserved() : StartChosen();
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

        // The thread that ran the last segment before the last hop adds its bytes when it leaves the group, as it
        // unwinds: on a loaded machine that can come after this line. Exact figures are then complete, not before.
        long bytesA = await Eventually(() => ExactBytes(recorder, a!), truthA);
        long bytesB = await Eventually(() => ExactBytes(recorder, b!), truthB);
        Assert.InRange(bytesA / (double)truthA, 0.99, 1.01);
        Assert.InRange(bytesB / (double)truthB, 0.99, 1.01);
    }

    private static long ExactBytes(GroupEventRecorder? recorder, AllocationGroupToken token)
    {
        if (recorder is null)
        {
            return token.AllocatedBytes;
        }

        GroupEventRecorder.PublishNow();
        return recorder.LastTotalOf(token) ?? 0;
    }

    private static async Task<long> Eventually(Func<long> read, long truth)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long seen = read();
        while (seen < truth * 0.99 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5); // polling a condition with a deadline
            seen = read();
        }

        return seen;
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
