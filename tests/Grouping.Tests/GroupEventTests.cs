using System.Diagnostics.Tracing;
using TrackingProfiler.TestSupport;

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
        Assert.NotEqual(0, changes[0].ThreadId);
        Assert.Equal(changes[0].ThreadId, changes[1].ThreadId); // both written on this thread
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
    public void GroupChanged_IsNotWritten_WhenOnlyRegistrationIsEnabled()
    {
        var token = AllocationGroupToken.Register("registration-only");
        using var recorder = new GroupEventRecorder((EventKeywords)EventContract.KeywordRegistration);
        using (token.Enter())
        {
        }

        // The listener works (it saw the group's rundown) yet saw no change: the keyword gates the writes.
        Assert.Contains(recorder.Registrations, r => r.GroupId == token.Id.Value);
        Assert.Empty(recorder.ChangesInvolving(token));
    }
}

/// <summary>
/// The cost of entering a group with no listener, measured in a child process whose diagnostics are disabled: no
/// EventPipe session can enable the source there, so the test holds even when this suite is itself traced (the CI
/// recipe `dotnet-alloctrack run -- dotnet test`), which enables the source in this process.
/// </summary>
[Collection("processes")]
public class SilentCostTests
{
    [Fact]
    public async Task EnterExit_AllocateNoMoreThanABareAsyncLocal_WhenNoListenerIsEnabled()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["cost"], new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        await target.WaitForExitAsync();
        var measured = target.Truth();
        Assert.True(measured["bare"] > 0, "the bare AsyncLocal allocates (its ExecutionContext copies): the measurement works");
        Assert.True(measured["group"] <= measured["bare"], $"enter/exit allocated {measured["group"] / 10_000.0:0.0} B per pair, a bare AsyncLocal {measured["bare"] / 10_000.0:0.0} B");
    }
}
