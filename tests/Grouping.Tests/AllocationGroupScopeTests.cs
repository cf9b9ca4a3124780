namespace TrackingProfiler.Grouping.Tests;

public class AllocationGroupScopeTests
{
    private static readonly AllocationGroupToken s_outer = AllocationGroupToken.Register("scope-outer");
    private static readonly AllocationGroupToken s_inner = AllocationGroupToken.Register("scope-inner");

    [Fact]
    public void Enter_MakesGroupCurrent_AndDisposeRestoresRoot()
    {
        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
        using (s_outer.Enter())
        {
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
            Assert.Same(s_outer, AllocationRegistry.CurrentGroup);
        }

        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public void Dispose_RestoresTheEnclosingGroup_WhenNested()
    {
        using (s_outer.Enter())
        {
            using (s_inner.Enter())
            {
                Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);
                using (s_inner.Enter())
                {
                    Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);
                }

                Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);
            }

            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void UsingDeclaration_Works_WhenScopeEndsWithTheMethod()
    {
        Helper();
        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);

        static void Helper()
        {
            using var _ = s_outer.Enter();
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void Dispose_IsHarmless_WhenCalledTwice()
    {
        using (s_outer.Enter())
        {
            var scope = s_inner.Enter();
            scope.Dispose();
            scope.Dispose();
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }

        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public void Dispose_DoesNotExitALaterGroup_WhenADisposedScopeIsDisposedAgain()
    {
        var first = s_outer.Enter();
        first.Dispose();
        using (s_inner.Enter())
        {
            first.Dispose();
            Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void Dispose_FollowsTheDocumentedRule_WhenScopesAreDisposedOutOfOrder()
    {
        var outer = s_outer.Enter();
        var inner = s_inner.Enter();

        outer.Dispose(); // the inner group is current: documented as doing nothing
        Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);

        inner.Dispose(); // restores what was current at inner's Enter: the outer group
        Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);

        outer.Dispose(); // now outer's group is current again, so this restores root
        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public void DefaultScope_DoesNothing_WhenDisposed()
    {
        using (s_outer.Enter())
        {
            default(AllocationGroupScope).Dispose();
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void Dispose_RestoresTheGroup_WhenAnExceptionLeavesTheScope()
    {
        Assert.Throws<InvalidOperationException>(Throw);
        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    private static void Throw()
    {
        using (s_outer.Enter())
        {
            throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public async Task Group_FlowsAcrossAwait_WhenTheContinuationRunsOnAnotherThread()
    {
        using (s_outer.Enter())
        {
            int before = Environment.CurrentManagedThreadId;
            int after = before;
            for (int i = 0; i < 20 && after == before; i++)
            {
                await Task.Delay(5).ConfigureAwait(false);
                after = Environment.CurrentManagedThreadId;
                Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
            }
        }

        Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
    }

    [Fact]
    public async Task Group_FlowsIntoTaskRunAndThreadPool_WhenStartedInsideTheScope()
    {
        AllocationGroupId inTask, inPool;
        using (s_outer.Enter())
        {
            inTask = await Task.Run(() => AllocationRegistry.CurrentGroupId);
            var done = new TaskCompletionSource<AllocationGroupId>();
            ThreadPool.QueueUserWorkItem(_ => done.SetResult(AllocationRegistry.CurrentGroupId));
            inPool = await done.Task;
        }

        Assert.Equal(s_outer.Id, inTask);
        Assert.Equal(s_outer.Id, inPool);
    }

    [Fact]
    public void Group_FlowsIntoANewThread_WhenStartedInsideTheScope()
    {
        AllocationGroupId seen = AllocationGroupId.Root;
        using (s_outer.Enter())
        {
            var thread = new Thread(() => seen = AllocationRegistry.CurrentGroupId);
            thread.Start();
            thread.Join();
        }

        Assert.Equal(s_outer.Id, seen);
    }

    [Fact]
    public async Task Group_DoesNotFlow_WhenExecutionContextFlowIsSuppressed()
    {
        Task<AllocationGroupId> task;
        using (s_outer.Enter())
        {
            using (ExecutionContext.SuppressFlow())
            {
                task = Task.Run(() => AllocationRegistry.CurrentGroupId);
            }
        }

        Assert.Equal(AllocationGroupId.Root, await task);
    }

    [Fact]
    public async Task ChildTaskChanges_DoNotLeakToTheParent_WhenAChildEntersAnotherGroup()
    {
        using (s_outer.Enter())
        {
            await Task.Run(() =>
            {
                _ = s_inner.Enter(); // never disposed: affects only the child's flow
                Assert.Equal(s_inner.Id, AllocationRegistry.CurrentGroupId);
            });
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void Untracked_RunsInTheRootGroup_AndRestoresTheEnclosingGroup()
    {
        using (s_outer.Enter())
        {
            AllocationRegistry.Untracked(() => Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId));
            int result = AllocationRegistry.Untracked(() => AllocationRegistry.CurrentGroupId.Value);
            Assert.Equal(0, result);
            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public async Task EnterRoot_LeavesTheGroup_ForAsyncCode()
    {
        using (s_outer.Enter())
        {
            using (AllocationRegistry.EnterRoot())
            {
                await Task.Yield();
                Assert.Equal(AllocationGroupId.Root, AllocationRegistry.CurrentGroupId);
            }

            Assert.Equal(s_outer.Id, AllocationRegistry.CurrentGroupId);
        }
    }

    [Fact]
    public void Groups_AreIndependent_WhenManyThreadsEnterAtOnce()
    {
        var tokens = Enumerable.Range(0, 8).Select(i => AllocationGroupToken.Register($"threads-{i}")).ToArray();
        int failures = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var token = tokens[i % tokens.Length];
            using (token.Enter())
            {
                Thread.SpinWait(10);
                if (AllocationRegistry.CurrentGroupId != token.Id)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
    }
}
