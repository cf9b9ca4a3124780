using TrackingProfiler.Profiler.Tracking;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class HeapSurvivalAnalyzerTests
{
    private const ulong A = 0x10_0000;
    private const ulong B = 0x10_1000;
    private const ulong C = 0x10_2000;

    [Fact]
    public void SweepingGc_FreesObjectsOutsideSurvivingRanges_WhenTheyWereCondemned()
    {
        var s = new HeapEventScript().Allocate(A, group: 1).Allocate(B, group: 2);

        int gc = s.BlockingGc(0, (A, A, 0x400));

        var free = Assert.Single(s.Frees);
        Assert.Equal(B, free.Address);
        Assert.Equal(2, free.SourceGroupId);
        Assert.Equal(gc, free.GcNumber);
        Assert.Equal(SampleWeight.Of(1_000), free.Weight);
        Assert.Equal(1, s.Tracker.Statistics.TrackedObjects);
    }

    [Fact]
    public void SweepingGc_KeepsObject_WhenItIsInsideARangeButNotAtItsStart()
    {
        var s = new HeapEventScript().Allocate(B);

        s.BlockingGc(0, (B - 0x100, B - 0x100, 0x1000));

        Assert.Empty(s.Frees);
    }

    [Fact]
    public void CompactingGc_MovesSurvivorToItsNewAddress_WhenAMovedRangeCoversIt()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);

        // B slides down onto A's old place: A is dead, B now lives at A.
        s.BlockingGc(0, (B, A, 0x400));
        Assert.Equal([A], s.FreedAddresses);

        // The next GC reports B at its new address only: B survives.
        s.BlockingGc(1, (A, C, 0x400));
        Assert.Single(s.Frees);

        // And a GC that no longer covers C finds it dead there.
        s.BlockingGc(2, (A, A, 0x10));
        Assert.Equal([A, C], s.FreedAddresses);
    }

    [Fact]
    public void CompactingGc_DoesNotLoseMovers_WhenTheyShiftOntoEachOthersAddresses()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B).Allocate(C);

        // A→B, B→C, C→C+0x1000 in one GC: every survivor moves onto an address another one just left.
        s.BlockingGc(0, (A, B, 0x1000), (B, C, 0x1000), (C, C + 0x1000, 0x1000));

        Assert.Empty(s.Frees);
        Assert.Equal(3, s.Tracker.Statistics.TrackedObjects);
        Assert.Equal(0, s.Tracker.Statistics.Forgotten);
    }

    [Fact]
    public void Promotion_ReportsGen2Once_WhenObjectSurvivesManyGcs()
    {
        var s = new HeapEventScript().Allocate(A, group: 3);

        s.BlockingGc(0, (A, A, 0x400)); // gen0 → gen1
        Assert.Empty(s.Gen2);
        int second = s.BlockingGc(1, (A, A, 0x400)); // gen1 → gen2
        s.BlockingGc(2, (A, A, 0x400));
        s.BlockingGc(2, (A, A, 0x400));

        var survival = Assert.Single(s.Gen2);
        Assert.Equal(3, survival.SourceGroupId);
        Assert.Equal(second, survival.GcNumber);
        Assert.Empty(s.Frees);
    }

    [Fact]
    public void Gen0Gc_DoesNotFreeGen2Objects_WhenTheyAreOutsideItsRanges()
    {
        var s = new HeapEventScript().Allocate(A);
        s.BlockingGc(0, (A, A, 0x400));
        s.BlockingGc(1, (A, A, 0x400));

        s.Allocate(B);
        s.BlockingGc(0, (C, C, 0x400));
        s.BlockingGc(1, (C, C, 0x400));

        Assert.Equal([B], s.FreedAddresses);
    }

    [Fact]
    public void Gen1Gc_FreesGen1ButNotGen2_WhenNeitherIsInARange()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        s.BlockingGc(0, (A, A, 0x400), (B, B, 0x400)); // both gen1
        s.BlockingGc(1, (A, A, 0x400)); // A gen2, B dead
        Assert.Equal([B], s.FreedAddresses);

        s.Allocate(C);
        s.BlockingGc(0, (C, C, 0x400)); // C gen1
        s.BlockingGc(1, (0x1, 0x1, 0x8)); // C dead, A (gen2) untouched

        Assert.Equal([B, C], s.FreedAddresses);
    }

    [Fact]
    public void GenerationLayout_OverridesCounting_WhenTheGcStartLayoutPutsAnObjectInGen2()
    {
        var s = new HeapEventScript().Allocate(A);

        // Counting would say gen0; the layout logged at the GC's start says A is in a gen2 region (promoted in place).
        int gc = s.Start(0);
        s.Layout(HeapEventScript.UserThread, (2, A - 0x100, 0x1000), (0, 0x50_0000, 0x1000));
        s.Survived(0x50_0000, 0x10);
        s.Layout(HeapEventScript.UserThread, (2, A - 0x100, 0x1000), (0, 0x50_0000, 0));
        s.End(gc, 0);

        Assert.Empty(s.Frees);
        Assert.Single(s.Gen2);
    }

    [Fact]
    public void LargeObject_IsOnlyCollectedByGen2Gcs_WhenItIsAboveTheLohThreshold()
    {
        var s = new HeapEventScript().Allocate(A, size: 100_000);

        s.BlockingGc(0, (C, C, 0x10));
        s.BlockingGc(1, (C, C, 0x10));
        Assert.Empty(s.Frees);

        s.BlockingGc(2, (C, C, 0x10));
        Assert.Equal([A], s.FreedAddresses);
    }

    [Fact]
    public void LargeObject_ReportsGen2_WhenItSurvivesAGen2Gc()
    {
        var s = new HeapEventScript().Allocate(A, size: 100_000);

        s.BlockingGc(2, (A, A, 100_000));

        Assert.Single(s.Gen2);
        Assert.Empty(s.Frees);
    }

    [Fact]
    public void PinnedHeapSample_IsNotCollectedByGen0_WhenTheLastLayoutPutsItsAddressInThePoh()
    {
        var s = new HeapEventScript();
        int gc = s.Start(0);
        s.Layout(HeapEventScript.UserThread, (4, 0x90_0000, 0x10_0000), (0, 0x50_0000, 0x100));
        s.Survived(0x50_0000, 0x10);
        s.Layout(HeapEventScript.UserThread, (4, 0x90_0000, 0x10_0000), (0, 0x50_0000, 0));
        s.End(gc, 0);

        s.Allocate(0x90_0100, size: 500);
        s.BlockingGc(0, (0x50_0000, 0x50_0000, 0x10));
        s.BlockingGc(1, (0x50_0000, 0x50_0000, 0x10));

        Assert.Empty(s.Frees);
    }

    [Fact]
    public void BackgroundGc_FreesDeadOldObjects_WhenForegroundGcsRunBeforeItsRangesArrive()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        s.BlockingGc(0, (A, A, 0x400), (B, B, 0x400));
        s.BlockingGc(1, (A, A, 0x400), (B, B, 0x400)); // A and B in gen2

        // The BGC starts on the user thread ...
        int bgc = s.Start(2, GcKind.Background);
        s.Layout(HeapEventScript.UserThread, (2, A, 0x2000));

        // ... a young object is allocated and a foreground gen0 GC moves it (logged NonConcurrent on .NET 10) ...
        s.Allocate(C);
        s.BlockingGc(0, (C, C + 0x8000, 0x400));

        // ... a gen1 foreground GC during the BGC moves it again ...
        int fgc = s.Start(1, GcKind.ForegroundDuringBackground);
        s.Moved(C + 0x8000, C + 0x9000, 0x400);
        s.End(fgc, 1);

        // ... then the BGC thread reports A alive (and a stale range over C's first address), and ends.
        s.Survived(A, 0x400, HeapEventScript.BgcThread);
        s.Survived(C, 0x400, HeapEventScript.BgcThread);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        var free = Assert.Single(s.Frees);
        Assert.Equal(B, free.Address);
        Assert.Equal(bgc, free.GcNumber);
        Assert.Equal(2, s.Tracker.Statistics.TrackedObjects);
        Assert.Equal(1, s.Tracker.Statistics.BackgroundGcs);

        // C lives at its latest address: a gen2 GC that reports it there keeps it.
        s.BlockingGc(2, (A, A, 0x400), (C + 0x9000, C + 0x9000, 0x400));
        Assert.Single(s.Frees);
    }

    [Fact]
    public void BackgroundGc_SendsRangesFromItsReporterThread_WhenTheyArriveInsideAForegroundWindow()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        s.BlockingGc(0, (A, A, 0x400), (B, B, 0x400));
        s.BlockingGc(1, (A, A, 0x400), (B, B, 0x400));

        int bgc = s.Start(2, GcKind.Background);
        s.Survived(A, 0x10, HeapEventScript.BgcThread); // the BGC thread identifies itself outside any window
        s.Allocate(C);
        int fgc = s.Start(0);
        s.Survived(A + 0x10, 0x3F0, HeapEventScript.BgcThread); // inside the foreground window, but the BGC's
        s.Moved(C, C + 0x8000, 0x400);
        s.End(fgc, 0);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Equal([B], s.FreedAddresses);
    }

    [Fact]
    public void BackgroundGc_DeclaresNothingDead_WhenARangeOfUnknownOwnerArrivesInsideAForegroundWindow()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        s.BlockingGc(0, (A, A, 0x400), (B, B, 0x400));
        s.BlockingGc(1, (A, A, 0x400), (B, B, 0x400));

        int bgc = s.Start(2, GcKind.Background);
        s.Allocate(C);
        int fgc = s.Start(0);
        s.Survived(A, 0x400, thread: 333); // not the foreground GC's thread, not a known BGC reporter
        s.End(fgc, 0);
        s.Survived(A, 0x400, HeapEventScript.BgcThread);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Empty(s.Frees);
        Assert.Equal(2, s.Tracker.Statistics.UncertainGcs);
    }

    [Fact]
    public void BackgroundGc_DoesNotCondemnObjectsPromotedDuringIt_WhenAForegroundGen1GcPromotesThem()
    {
        var s = new HeapEventScript().Allocate(A);
        s.BlockingGc(0, (A, A, 0x400));
        s.BlockingGc(1, (A, A, 0x400)); // A in gen2

        s.Allocate(B);
        s.BlockingGc(0, (B, B, 0x400)); // B gen1
        int bgc = s.Start(2, GcKind.Background);
        s.BlockingGc(1, (B, B, 0x400)); // B promoted into gen2 during the BGC
        s.Survived(A, 0x400, HeapEventScript.BgcThread); // the BGC does not report B: it did not condemn it
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Empty(s.Frees);
    }

    [Fact]
    public void BackgroundKindGc_IsJudgedAsBlocking_WhenItRunsStartToEndOnTheTriggeringThread()
    {
        // .NET 10 logs GC.Collect(2, Forced, blocking: false) as Background, then compacts on the calling thread.
        var s = new HeapEventScript().Allocate(A).Allocate(B);

        int gc = s.Start(2, GcKind.Background);
        s.Moved(A, C, 0x400);
        s.End(gc, 2);

        Assert.Equal([B], s.FreedAddresses);
        s.BlockingGc(2, (C, C, 0x400));
        Assert.Single(s.Frees);
    }

    [Fact]
    public void BackgroundGc_ForgetsWhatItCondemned_WhenItGetsMovedRangesWithForegroundGcsInBetween()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        s.BlockingGc(0, (A, A, 0x400), (B, B, 0x400));
        s.BlockingGc(1, (A, A, 0x400), (B, B, 0x400));

        int bgc = s.Start(2, GcKind.Background);
        s.BlockingGc(0, (C, C, 0x10));
        s.Moved(A, C, 0x400, HeapEventScript.BgcThread);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Empty(s.Frees);
        Assert.Equal(2, s.Tracker.Statistics.Forgotten);
    }

    [Fact]
    public void BackgroundGc_FreesDeadOldObjects_WhenServerGcThreadsReportTheForegroundGcs()
    {
        // Server GC: blocking GCs start on one GC thread, end on another, and both report ranges.
        const int gcThread1 = 11, gcThread2 = 12;
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        foreach (int depth in new[] { 0, 1 })
        {
            int gc = s.Start(depth, thread: gcThread1);
            s.Survived(A, 0x400, gcThread1).Survived(B, 0x400, gcThread2);
            s.End(gc, depth, gcThread2);
        }

        int bgc = s.Start(2, GcKind.Background, thread: gcThread1);
        s.Allocate(C);
        int fgc = s.Start(0, GcKind.ForegroundDuringBackground, thread: gcThread1);
        s.Moved(C, C + 0x8000, 0x400, gcThread2); // a known server GC thread: the foreground GC's range
        s.End(fgc, 0, gcThread2);
        s.Survived(A, 0x400, HeapEventScript.BgcThread);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Equal([B], s.FreedAddresses);
        Assert.Equal(0, s.Tracker.Statistics.UncertainGcs);
        s.BlockingGc(2, (A, A, 0x400), (C + 0x8000, C + 0x8000, 0x400));
        Assert.Single(s.Frees);
    }

    [Fact]
    public void BackgroundKindGc_IsJudgedAsBlocking_WhenServerGcThreadsRunItStartToEnd()
    {
        const int gcThread1 = 11, gcThread2 = 12;
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        int first = s.Start(0, thread: gcThread1);
        s.Survived(A, 0x400, gcThread1).Survived(B, 0x400, gcThread2);
        s.End(first, 0, gcThread2);

        int gc = s.Start(2, GcKind.Background, thread: gcThread2);
        s.Moved(A, C, 0x400, gcThread1);
        s.End(gc, 2, gcThread1);

        Assert.Equal([B], s.FreedAddresses);
        s.BlockingGc(2, (C, C, 0x400));
        Assert.Single(s.Frees);
    }

    [Fact]
    public void AddressReuse_ReplacesTheOldObjectAndFreesIt_WhenANewSampleLandsOnItsAddress()
    {
        var s = new HeapEventScript().Allocate(A, group: 1);

        s.Allocate(A, group: 2);

        var free = Assert.Single(s.Frees);
        Assert.Equal(1, free.SourceGroupId);
        var stats = s.Tracker.Statistics;
        Assert.Equal(1, stats.ReplacedAtReusedAddress);
        Assert.Equal(1, stats.TrackedObjects);

        s.BlockingGc(0, (C, C, 0x10));
        Assert.Equal([1, 2], s.Frees.Select(f => f.SourceGroupId));
    }

    [Fact]
    public void MemoryBound_DropsNewSamplesAndCountsThem_WhenMaxTrackedObjectsIsReached()
    {
        var s = new HeapEventScript(new HeapSurvivalOptions { MaxTrackedObjects = 2 });

        s.Allocate(A).Allocate(B).Allocate(C);

        var stats = s.Tracker.Statistics;
        Assert.Equal(2, stats.TrackedObjects);
        Assert.Equal(1, stats.DroppedAtCapacity);

        // Room is made by frees: the next sample is tracked again.
        s.BlockingGc(0, (A, A, 0x10));
        s.Allocate(C);
        Assert.Equal(2, s.Tracker.Statistics.TrackedObjects);
    }

    [Fact]
    public void MissingRanges_DeclareNothingDeadAndForgetCondemnedObjects_WhenAGcReportsNoRange()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);

        s.BlockingGc(0);
        s.BlockingGc(2, (0x1, 0x1, 0x8));

        Assert.Empty(s.Frees);
        var stats = s.Tracker.Statistics;
        Assert.Equal(2, stats.Forgotten);
        Assert.Equal(0, stats.TrackedObjects);
        Assert.Equal(1, stats.UncertainGcs);
    }

    [Fact]
    public void MissingRanges_DeclareNothingDead_WhenABackgroundGcEndsWithoutRanges()
    {
        var s = new HeapEventScript().Allocate(A);
        s.BlockingGc(0, (A, A, 0x400));
        s.BlockingGc(1, (A, A, 0x400));

        int bgc = s.Start(2, GcKind.Background);
        s.End(bgc, 2, HeapEventScript.BgcThread);

        Assert.Empty(s.Frees);
        Assert.Equal(1, s.Tracker.Statistics.TrackedObjects);
    }

    [Fact]
    public void MissingStart_DeclaresNothingDead_WhenAGcEndArrivesForAnUnseenGc()
    {
        var s = new HeapEventScript().Allocate(A);

        s.Survived(C, 0x10); // orphan: no GC in progress
        s.End(42, 0);

        Assert.Empty(s.Frees);
        Assert.Equal(1, s.Tracker.Statistics.OrphanRanges);
        Assert.Equal(1, s.Tracker.Statistics.Forgotten);
    }

    [Fact]
    public void MissingEnd_DeclaresNothingDead_WhenANewGcStartsBeforeThePreviousEnded()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);

        s.Start(0);
        s.Survived(A, 0x10);
        int second = s.Start(0); // the first GC's end was lost

        Assert.Empty(s.Frees);
        s.End(second, 0);
        Assert.Empty(s.Frees);
    }

    [Fact]
    public void MissingEnd_ForgetsEverything_WhenABackgroundKindGcThatMovedObjectsNeverEnded()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);

        s.Start(2, GcKind.Background);
        s.Moved(A, C, 0x400);
        int next = s.Start(2, GcKind.Background); // the first one's GCEnd was lost
        s.Survived(C, 0x400, HeapEventScript.BgcThread);
        s.End(next, 2, HeapEventScript.BgcThread);

        Assert.Empty(s.Frees);
        Assert.Equal(0, s.Tracker.Statistics.TrackedObjects);
    }

    [Fact]
    public void EventsLost_ForgetsEveryObjectWithoutFreeing_WhenReported()
    {
        var s = new HeapEventScript().Allocate(A).Allocate(B);
        int gc = s.Start(0);
        s.Survived(A, 0x10);

        s.Lost();
        s.End(gc, 0);
        s.BlockingGc(2, (C, C, 0x10));

        Assert.Empty(s.Frees);
        Assert.Equal(2, s.Tracker.Statistics.Forgotten);
        Assert.Equal(0, s.Tracker.Statistics.TrackedObjects);
    }

    [Fact]
    public void SampleInsideGcWindow_IsNotJudgedByThatGc_WhenItArrivesAfterGcStart()
    {
        var s = new HeapEventScript();
        int gc = s.Start(0);
        s.Survived(C, 0x10);
        s.Allocate(A); // delivered late from another thread's buffer
        s.End(gc, 0);

        Assert.Empty(s.Frees);
        s.BlockingGc(0, (C, C, 0x10));
        Assert.Equal([A], s.FreedAddresses);
    }
}
