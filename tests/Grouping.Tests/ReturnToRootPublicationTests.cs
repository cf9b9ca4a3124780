using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>
/// A session that asks for it (<see cref="EventContract.PublishOnReturnToRootArgument"/>) gets totals when work returns to
/// the root group, not only at the interval: what a process writes while exiting never reaches an EventPipe session,
/// so a program that ends less than one interval after its last group would otherwise lose those bytes.
/// </summary>
[Collection("events")]
public class ReturnToRootPublicationTests
{
    // Far longer than any wait below: a total that arrives was not the periodic one.
    private const int LongIntervalMs = 600_000;

    [Fact]
    public async Task LastReturnToRoot_IsPublished_AfterTheEagerBudgetIsSpent_WithoutWaitingForTheInterval()
    {
        var token = AllocationGroupToken.Register("return-to-root-burst");
        using var recorder = new GroupEventRecorder(totalsIntervalMs: LongIntervalMs, publishOnReturnToRoot: true);
        long truth = 0;

        // More returns to the root group than the budget allows at once, as a test's or a batch's last groups do.
        for (int i = 0; i < TotalsPublisher.EagerPerInterval + 3; i++)
        {
            using (token.Enter())
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                GC.KeepAlive(new byte[100_000]);
                truth += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        long published = await WaitForTotal(recorder, token, truth);
        Assert.InRange(published, truth, truth + 4_096);
    }

    [Fact]
    public async Task ReturnToRoot_PublishesNothingExtra_WhenTheSessionDidNotAskForIt()
    {
        var token = AllocationGroupToken.Register("return-to-root-not-asked");
        using var recorder = new GroupEventRecorder(totalsIntervalMs: LongIntervalMs);
        long atEnable = recorder.LastTotalOf(token) ?? 0;
        using (token.Enter())
        {
            GC.KeepAlive(new byte[100_000]);
        }

        // Three quiet delays: a trailing publication, had one been armed, would have come by now.
        await Task.Delay(TotalsPublisher.TrailingQuietMs * 3);
        Assert.Equal(atEnable, recorder.LastTotalOf(token) ?? 0);
    }

    private static async Task<long> WaitForTotal(GroupEventRecorder recorder, AllocationGroupToken token, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long seen = recorder.LastTotalOf(token) ?? 0;
        while (seen < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10); // polling a condition with a deadline
            seen = recorder.LastTotalOf(token) ?? 0;
        }

        return seen;
    }
}
