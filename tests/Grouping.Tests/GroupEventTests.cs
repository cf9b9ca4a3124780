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
    public void GroupChanged_IsWrittenOnEnterAndExit_WithTheThreadsCounter()
    {
        var token = AllocationGroupToken.Register("changed-sync");
        using var recorder = new GroupEventRecorder();
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (token.Enter())
        {
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        var changes = recorder.ChangesInvolving(token);
        Assert.Equal(2, changes.Count);
        Assert.Equal((0, token.Id.Value), (changes[0].From, changes[0].To));
        Assert.Equal((token.Id.Value, 0), (changes[1].From, changes[1].To));
        Assert.Equal(Environment.CurrentManagedThreadId == 0 ? 0 : changes[0].ThreadId, changes[1].ThreadId);
        Assert.InRange(changes[0].ThreadAllocatedBytes, before, after);
        Assert.InRange(changes[1].ThreadAllocatedBytes, changes[0].ThreadAllocatedBytes, after);
    }

    [Fact]
    public void GroupChanged_FollowsNesting_WhenScopesAreNested()
    {
        var outer = AllocationGroupToken.Register("nest-outer");
        var inner = AllocationGroupToken.Register("nest-inner");
        using var recorder = new GroupEventRecorder();
        using (outer.Enter())
        {
            using (inner.Enter())
            {
            }
        }

        var ids = recorder.ChangesInvolving(outer, inner).Select(c => (c.From, c.To)).ToList();
        int o = outer.Id.Value, i = inner.Id.Value;
        Assert.Equal([(0, o), (o, i), (i, o), (o, 0)], ids);
    }

    [Fact]
    public void GroupChanged_IsNotWritten_WhenDisposeChangesNothing()
    {
        var token = AllocationGroupToken.Register("double-dispose-events");
        using var recorder = new GroupEventRecorder();
        var scope = token.Enter();
        scope.Dispose();
        scope.Dispose();
        Assert.Equal(2, recorder.ChangesInvolving(token).Count);
    }

    [Fact]
    public async Task GroupChanged_IsWrittenOnEachThread_WhenAnAwaitHopsThreads()
    {
        var token = AllocationGroupToken.Register("hop");
        using var recorder = new GroupEventRecorder();
        using (token.Enter())
        {
            for (int i = 0; i < 3; i++)
            {
                await ThreadHop.ToNewThread();
            }
        }

        var threadsEntering = recorder.ChangesInvolving(token).Where(c => c.To == token.Id.Value).Select(c => c.ThreadId).Distinct().ToList();
        Assert.True(threadsEntering.Count >= 2, $"the continuation should have entered the group on another thread; saw threads {string.Join(",", threadsEntering)}");

        // Every thread that entered the group also left it: no interval stays open.
        foreach (long thread in threadsEntering)
        {
            var onThread = recorder.ChangesInvolving(token).Where(c => c.ThreadId == thread).ToList();
            Assert.Equal(onThread.Count(c => c.To == token.Id.Value), onThread.Count(c => c.From == token.Id.Value));
        }
    }

    [Fact]
    public void NothingIsWritten_WhenNoListenerIsEnabled()
    {
        var token = AllocationGroupToken.Register("silent");
        Assert.False(AllocationGroupsEventSource.Log.IsEnabled());
        using (token.Enter())
        {
        }

        // A listener created afterwards sees the rundown of names but no change from before it existed.
        using var recorder = new GroupEventRecorder();
        Assert.Empty(recorder.ChangesInvolving(token));
    }

    [Fact]
    public void EnterExit_AllocateNoMoreThanABareAsyncLocal_WhenNoListenerIsEnabled()
    {
        var token = AllocationGroupToken.Register("allocation-free");
        var bare = new AsyncLocal<object?>();
        object value = new();
        const int Iterations = 10_000;

        // Warm both paths so one-time costs (JIT, static init) are excluded.
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
}
