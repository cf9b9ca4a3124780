using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Stacks;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Stacks;

public class CallPathTrackerTests
{
    private const ulong Module = 7;

    [Fact]
    public void Paths_AreResolvedLeafFirst_AndMergedWhenDistinctAddressesNameTheSameMethods()
    {
        var map = Map(("App.Leaf", 0x1000, 0x100), ("App.Caller", 0x2000, 0x100));
        var tracker = new CallPathTracker();
        tracker.Allocated(Sample(group: 1, weight: 100, 0x1010, 0x2010));
        tracker.Allocated(Sample(group: 1, weight: 50, 0x1020, 0x2010)); // another return address in the same leaf

        var path = Assert.Single(Paths(tracker, map, 1));
        Assert.Equal(["App.Leaf", "App.Caller"], path.Frames.Select(f => f.Method));
        Assert.Equal("App.dll", path.Frames[0].Module);
        Assert.Equal(150, path.EstimatedBytes);
        Assert.Equal(2, path.Samples);
    }

    [Fact]
    public void Paths_KeepTheHeaviest_AndFoldTheRestIntoOtherPaths_SoTotalsStayRight()
    {
        var map = Map(Enumerable.Range(0, 10).Select(i => ($"App.M{i}", 0x1000UL * (ulong)(i + 1), 0x100U)).ToArray());
        var tracker = new CallPathTracker();
        for (int i = 0; i < 10; i++)
        {
            tracker.Allocated(Sample(group: 1, weight: 10 * (i + 1), (0x1000UL * (ulong)(i + 1)) + 4));
        }

        var paths = Paths(tracker, map, 1, maxPaths: 3);
        Assert.Equal(["App.M9", "App.M8", "App.M7", CallPathTracker.OtherPaths], paths.Select(p => p.Frames[0].Method));
        Assert.Equal(Enumerable.Range(1, 10).Sum(i => 10 * i), paths.Sum(p => p.EstimatedBytes));
        Assert.Equal(7, paths[^1].Samples);
    }

    [Fact]
    public void Groups_KeepTheirOwnPaths_ForTheSameStack()
    {
        var map = Map(("App.Shared", 0x1000, 0x100));
        var tracker = new CallPathTracker();
        tracker.Allocated(Sample(group: 1, weight: 100, 0x1004));
        tracker.Allocated(Sample(group: 2, weight: 200, 0x1004));
        tracker.Allocated(Sample(group: 2, weight: 200, 0x1004));

        Assert.Equal(100, Assert.Single(Paths(tracker, map, 1)).EstimatedBytes);
        Assert.Equal(400, Assert.Single(Paths(tracker, map, 2)).EstimatedBytes);
    }

    [Fact]
    public void Samples_WithoutStacks_OrOverTheCap_AreCountedUnderTheirOwnNames_AndNoted()
    {
        var map = Map(("App.A", 0x1000, 0x100), ("App.B", 0x2000, 0x100));
        var tracker = new CallPathTracker(maxDistinctStacks: 1);
        tracker.Allocated(Sample(group: 1, weight: 10, 0x1004));
        tracker.Allocated(Sample(group: 1, weight: 20, 0x2004)); // a second distinct stack: over the cap
        tracker.Allocated(Sample(group: 1, weight: 40));

        var paths = Paths(tracker, map, 1);
        Assert.Equal([CallPathTracker.NoStack, CallPathTracker.OverStackCap, "App.A"], paths.Select(p => p.Frames[0].Method));
        Assert.Equal(70, paths.Sum(p => p.EstimatedBytes));
        var notes = tracker.Notes(map);
        Assert.Contains(notes, n => n.Contains("1 distinct stacks were kept", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("1 of 3 samples carried no stack", StringComparison.Ordinal));
    }

    [Fact]
    public void Addresses_NoMethodCovers_AreShownAsAddresses_AndNoted()
    {
        var map = Map(("App.A", 0x1000, 0x100));
        var tracker = new CallPathTracker();
        tracker.Allocated(Sample(group: 1, weight: 10, 0x1004, 0x9000));

        var path = Assert.Single(Paths(tracker, map, 1));
        Assert.Equal(new FrameReport("0x9000", null), path.Frames[1]);
        Assert.Contains(tracker.Notes(map), n => n.Contains("1 of 2 frames", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_ResolvesAReturnAddressJustPastItsMethod_ToThatMethod()
    {
        var map = Map(("App.EndsWithACall", 0x1000, 0x10), ("App.Next", 0x1020, 0x10));
        Assert.Equal("App.EndsWithACall", map.Resolve(0x1010).Method); // one past the end: the call was the last instruction
        Assert.Equal("0x1018", map.Resolve(0x1018).Method);
    }

    [Fact]
    public void Map_PrefersASizedRange_OverAnEntryPointKnownWithoutItsSize()
    {
        var map = new MethodAddressMap();
        map.AddModule(Module, "/x/App.dll");
        map.AddMethod(new MethodCode(0x1000, 0, "App.FromEntryPoint", 0));
        map.AddMethod(new MethodCode(0x1000, 0x40, "App.FromRundown", Module));
        map.AddMethod(new MethodCode(0x3000, 0, "App.OnlyEntryPoint", 0));

        Assert.Equal(new FrameReport("App.FromRundown", "App.dll"), map.Resolve(0x1010));
        Assert.Equal(new FrameReport("App.OnlyEntryPoint", null), map.Resolve(0x3100)); // extends to the next known start
    }

    private static MethodAddressMap Map(params (string Name, ulong Start, uint Size)[] methods)
    {
        var map = new MethodAddressMap();
        map.AddModule(Module, "/app/bin/App.dll");

        // Out of order on purpose: load events and the rundown arrive in any order.
        foreach (var (name, start, size) in methods.Reverse())
        {
            map.AddMethod(new MethodCode(start, size, name, Module));
        }

        return map;
    }

    private static AttributedAllocation Sample(int group, double weight, params ulong[] stack) =>
        new(group, "System.Byte[]", 100, weight, SampleKind.Randomized, 1, 0, 0, stack.Length == 0 ? null : stack);

    private static IReadOnlyList<CallPathReport> Paths(CallPathTracker tracker, MethodAddressMap map, int group, int maxPaths = 500) =>
        tracker.AddCallPaths([new GroupReport { Id = group }], map, maxPaths)[0].CallPaths!;
}
