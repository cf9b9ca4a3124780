using System.Diagnostics.Tracing;
using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping.Tests;

[Collection("events")]
public class GroupEventTests
{
    [Fact]
    public void GroupRegistered_IsWritten_WhenAGroupIsRegisteredWhileListening()
    {
        using var recorder = new GroupEventRecorder();
        var token = AllocationGroupToken.Register("registered-live", ("k", "v"));
        var registration = Assert.Single(recorder.Registrations, r => r.GroupId == token.Id.Value);
        Assert.Equal("registered-live", registration.Name);
        Assert.Equal("k=v", registration.Tags);
    }

    [Fact]
    public void Rundown_ReEmitsEveryEarlierGroup_WhenAListenerEnablesTheSource()
    {
        var early = AllocationGroupToken.Register("registered-before-listening", ("tier", "api"));
        using var recorder = new GroupEventRecorder();
        var registration = Assert.Single(recorder.Registrations, r => r.GroupId == early.Id.Value);
        Assert.Equal("registered-before-listening", registration.Name);
        Assert.Equal(("tier", "api"), EventContract.DecodeTags(registration.Tags).Single());
    }

    [Fact]
    public void Rundown_PublishesEveryGroupsTotal_AfterItsName_WhenTotalsAreEnabled()
    {
        var early = AllocationGroupToken.Register("rundown-total");
        using var recorder = new GroupEventRecorder();

        // The baseline a profiler compares later totals with: every group, the root included, even at 0.
        Assert.NotNull(recorder.LastTotalOf(early));
        Assert.NotNull(recorder.LastTotalOf(EventContract.RootGroupId));
        var ids = recorder.EventIds.ToList();
        Assert.True(ids.IndexOf(EventContract.GroupRegistered.Id) < ids.IndexOf(EventContract.GroupAllocated.Id), "names come before totals");
    }

    [Fact]
    public void Totals_AreCumulative_AndOnlyForGroupsThatChanged()
    {
        var busy = AllocationGroupToken.Register("totals-busy");
        var idle = AllocationGroupToken.Register("totals-idle");
        using var recorder = new GroupEventRecorder();
        int idleAfterRundown = recorder.Totals.Count(t => t.GroupId == idle.Id.Value);

        long first = AllocateIn(busy, 64 * 1024);
        GroupEventRecorder.PublishNow();
        long afterFirst = recorder.LastTotalOf(busy)!.Value;
        long second = AllocateIn(busy, 64 * 1024);
        GroupEventRecorder.PublishNow();
        long afterSecond = recorder.LastTotalOf(busy)!.Value;
        GroupEventRecorder.PublishNow();

        Assert.InRange(afterFirst, first, first + 1024);
        Assert.InRange(afterSecond - afterFirst, second, second + 1024);
        Assert.Equal(2, recorder.Totals.Count(t => t.GroupId == busy.Id.Value) - 1); // after the rundown's one
        Assert.Equal(idleAfterRundown, recorder.Totals.Count(t => t.GroupId == idle.Id.Value));
    }

    [Fact]
    public void Totals_AreHealed_ByTheNextPublication_WhenOneIsLost()
    {
        var group = AllocationGroupToken.Register("totals-lost");
        using var recorder = new GroupEventRecorder();
        long truth = AllocateIn(group, 128 * 1024);
        recorder.LoseNextTotalOf(group);
        GroupEventRecorder.PublishNow(); // lost on the way
        truth += AllocateIn(group, 128 * 1024);
        GroupEventRecorder.PublishNow();

        // The surviving event carries the cumulative figure: nothing of the lost interval is missing.
        Assert.InRange(recorder.LastTotalOf(group)!.Value, truth, truth + 1024);
    }

    [Fact]
    public async Task Totals_ArePublishedAtTheSessionsInterval_WithoutAnyCall()
    {
        var group = AllocationGroupToken.Register("totals-periodic");
        using var recorder = new GroupEventRecorder(totalsIntervalMs: 20);
        Assert.Equal(20, AllocationGroupsEventSource.Log.TotalsIntervalMs);
        var published = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.TotalRecorded += total =>
        {
            if (total.GroupId == group.Id.Value && total.AllocatedBytes > 0)
            {
                published.TrySetResult(total.AllocatedBytes);
            }
        };

        long truth = AllocateIn(group, 128 * 1024);
        long total = await published.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(total, truth, truth + 1024);
    }

    [Theory]
    [InlineData(null, EventContract.DefaultTotalsIntervalMs)]
    [InlineData("250", 250)]
    [InlineData("1", TotalsPublisher.MinIntervalMs)]
    [InlineData("0", EventContract.DefaultTotalsIntervalMs)]
    [InlineData("-5", EventContract.DefaultTotalsIntervalMs)]
    [InlineData("soon", EventContract.DefaultTotalsIntervalMs)]
    public void TotalsInterval_IsParsedFromTheSessionsArgument(string? argument, int expected)
    {
        var arguments = new Dictionary<string, string?>();
        if (argument is not null)
        {
            arguments[EventContract.TotalsIntervalArgument] = argument;
        }

        Assert.Equal(expected, TotalsPublisher.ParseInterval(arguments));
    }

    [Fact]
    public void NoEventIsWritten_PerGroupChange_WithEveryKeywordOn()
    {
        var token = AllocationGroupToken.Register("no-event-per-change");
        using var recorder = new GroupEventRecorder(GroupEventRecorder.V2Keywords | EventContract.KeywordGroupChanges, totalsIntervalMs: int.MaxValue);
        int before = recorder.EventIds.Count;
        for (int i = 0; i < 1000; i++)
        {
            using (token.Enter())
            {
            }
        }

        Assert.Equal(before, recorder.EventIds.Count);
        Assert.DoesNotContain(EventContract.GroupChanged.Id, recorder.EventIds);
    }

    [Fact]
    public async Task ActivityId_CarriesTheGroup_InsideScopesAndAcrossThreads_WhenTheKeywordIsOn()
    {
        var outer = AllocationGroupToken.Register("ids-outer");
        var inner = AllocationGroupToken.Register("ids-inner");
        using var recorder = new GroupEventRecorder(EventContract.KeywordActivityIds);
        using (outer.Enter())
        {
            Assert.Equal(outer.Id.Value, DecodedGroupOfThisThread());
            using (inner.Enter())
            {
                Assert.Equal(inner.Id.Value, DecodedGroupOfThisThread());
            }

            Assert.Equal(outer.Id.Value, DecodedGroupOfThisThread());
            int before = Environment.CurrentManagedThreadId;
            await ThreadHop.ToNewThread();
            Assert.NotEqual(before, Environment.CurrentManagedThreadId);
            Assert.Equal(outer.Id.Value, DecodedGroupOfThisThread());
        }

        // Back in the root group: the empty id, the same as on threads that never entered a group.
        Assert.Equal(Guid.Empty, EventSource.CurrentThreadActivityId);
    }

    [Fact]
    public void ActivityId_IsCleared_AtTheNextChange_WhenTheKeywordGoesOffWhileAThreadCarriesIt()
    {
        var outer = AllocationGroupToken.Register("ids-off-outer");
        var inner = AllocationGroupToken.Register("ids-off-inner");

        // Tracking keeps the handler running after the session leaves (a second listener would not do: the runtime
        // keeps the union of keywords until every listener is gone).
        using var tracking = new TrackingScope();
        var ids = new GroupEventRecorder(EventContract.KeywordActivityIds);
        using (outer.Enter())
        {
            Assert.Equal(outer.Id.Value, DecodedGroupOfThisThread());
            ids.Dispose(); // the keyword goes off while this thread carries outer's id
            using (inner.Enter())
            {
                Assert.Equal(Guid.Empty, EventSource.CurrentThreadActivityId);
            }
        }
    }

    [Fact]
    public void ActivityId_StaysEmpty_WhenNoSessionListens()
    {
        var token = AllocationGroupToken.Register("ids-silent");
        Guid seen = Guid.NewGuid();
        var thread = new Thread(() =>
        {
            using (token.Enter())
            {
                seen = EventSource.CurrentThreadActivityId;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Equal(Guid.Empty, seen);
    }

    [Fact]
    public void DisabledPath_CountsAndWritesNothing_WhenNoSessionListensAndTrackingIsOff()
    {
        Assert.Equal(0, GroupAccounting.Mode);
        var token = AllocationGroupToken.Register("silent");
        using (token.Enter())
        {
            GC.KeepAlive(new byte[64 * 1024]);
        }

        // Nothing was counted: a session starting now has the group at 0 in its rundown, and nothing changed since.
        using var recorder = new GroupEventRecorder();
        Assert.Equal(0, recorder.LastTotalOf(token));
        GroupEventRecorder.PublishNow();
        Assert.Single(recorder.Totals, t => t.GroupId == token.Id.Value);
    }

    [Fact]
    public void Accounting_FollowsTheUnionOfSessionsAndTracking()
    {
        Assert.Equal(0, GroupAccounting.Mode);
        using (var names = new GroupEventRecorder(EventContract.KeywordRegistration))
        {
            Assert.Equal(0, GroupAccounting.Mode); // names only: nothing to do per change
            using (var totals = new GroupEventRecorder(EventContract.KeywordTotals))
            {
                Assert.Equal(GroupAccounting.Accounting, GroupAccounting.Mode);
                using (new TrackingScope())
                {
                }

                Assert.Equal(GroupAccounting.Accounting, GroupAccounting.Mode); // the session still wants totals
            }
        }

        Assert.Equal(0, GroupAccounting.Mode);
        using (new TrackingScope())
        {
            Assert.Equal(GroupAccounting.Accounting, GroupAccounting.Mode);
            Assert.True(AllocationRegistry.IsTrackingEnabled);
        }

        Assert.False(AllocationRegistry.IsTrackingEnabled);
        Assert.Equal(0, GroupAccounting.Mode);
    }

    [Fact]
    public void TwoSessions_BothGetCorrectTotals_WhenTheyOverlap()
    {
        var group = AllocationGroupToken.Register("two-sessions");
        using var first = new GroupEventRecorder();
        long truth = AllocateIn(group, 128 * 1024);
        using (var second = new GroupEventRecorder())
        {
            long baseline = second.LastTotalOf(group)!.Value; // the second one's rundown
            long more = AllocateIn(group, 128 * 1024);
            truth += more;
            GroupEventRecorder.PublishNow();
            Assert.InRange(second.LastTotalOf(group)!.Value - baseline, more, more + 1024);
        }

        truth += AllocateIn(group, 128 * 1024);
        GroupEventRecorder.PublishNow();
        Assert.InRange(first.LastTotalOf(group)!.Value, truth, truth + 2048);
    }

    [Fact]
    public void EnterExit_AllocateNoMoreThanABareAsyncLocal_WhenASessionWantsTotalsAndActivityIds()
    {
        using var recorder = new GroupEventRecorder(totalsIntervalMs: int.MaxValue);
        using var tracking = new TrackingScope();
        AssertEnterExitAllocatesNoMoreThanAnAsyncLocalWrite();
    }

    private static void AssertEnterExitAllocatesNoMoreThanAnAsyncLocalWrite()
    {
        var token = AllocationGroupToken.Register("allocation-free");
        var bare = new AsyncLocal<object?>();
        object value = new();
        const int Iterations = 10_000;

        // Warm both paths so one-time costs (JIT, static init, this thread's counters) are excluded.
        for (int i = 0; i < 100; i++)
        {
            using (token.Enter())
            {
            }

            bare.Value = value;
            bare.Value = null;
        }

        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            bare.Value = value;
            bare.Value = null;
        }

        long bareBytes = GC.GetAllocatedBytesForCurrentThread() - start;
        start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            using (token.Enter())
            {
            }
        }

        long groupBytes = GC.GetAllocatedBytesForCurrentThread() - start;
        Assert.True(groupBytes <= bareBytes, $"enter/exit allocated {groupBytes / (double)Iterations:0.0} B per pair, a bare AsyncLocal {bareBytes / (double)Iterations:0.0} B");
    }

    private static int DecodedGroupOfThisThread()
    {
        Assert.True(EventContract.ActivityIds.TryDecode(EventSource.CurrentThreadActivityId, out int groupId), "the thread's activity id should carry a group");
        return groupId;
    }

    private static object? s_sink;

    private static long AllocateIn(AllocationGroupToken token, int size)
    {
        using (token.Enter())
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            s_sink = new byte[size];
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}

/// <summary>
/// The cost of entering a group with no listener, measured in a child process whose diagnostics are disabled: no
/// EventPipe session can enable the source there, so the test holds even when this suite is itself traced (the CI
/// recipe `dotnet-alloctrack run -- dotnet test`), which enables the source in this process.
/// </summary>
[Collection(TrackingProfiler.TestSupport.ProcessTestLock.CollectionName)]
public class SilentCostTests
{
    [Fact]
    public async Task EnterExit_AllocateNoMoreThanABareAsyncLocal_WhenNoListenerIsEnabled()
    {
        using var target = await TrackingProfiler.TestSupport.TargetProgram.StartAsync("AllocTarget", ["cost"], new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        await target.WaitForExitAsync();
        var measured = target.Truth();
        Assert.True(measured["bare"] > 0, "the bare AsyncLocal allocates (its ExecutionContext copies): the measurement works");
        Assert.True(measured["group"] <= measured["bare"], $"enter/exit allocated {measured["group"] / 10_000.0:0.0} B per pair, a bare AsyncLocal {measured["bare"] / 10_000.0:0.0} B");
    }
}
