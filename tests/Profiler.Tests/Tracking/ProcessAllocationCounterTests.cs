using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Tracking;

public class ProcessAllocationCounterTests
{
    [Fact]
    public void AllocatedBytes_SumsTheIncrements_TheFirstOfWhichCountsFromTheSessionsStart()
    {
        // As the runtime sent them on .NET 10 (alloc-rate, 1 s interval): the first increment already covers a full
        // interval, from the moment the session enabled the counter.
        var counter = new ProcessAllocationCounter();
        counter.OnReading(new ProcessAllocatedEvent(1_027, AllocatedCounterKind.EventCounter, 24_390_760));
        counter.OnReading(new ProcessAllocatedEvent(2_024, AllocatedCounterKind.EventCounter, 23_852_088));
        counter.OnReading(new ProcessAllocatedEvent(3_018, AllocatedCounterKind.EventCounter, 24_367_016));

        Assert.Equal(24_390_760 + 23_852_088 + 24_367_016, counter.AllocatedBytes);
        Assert.Equal(3_018, counter.LastReadingMs);
    }

    [Fact]
    public void AllocatedBytes_IsNull_BeforeAnyReading()
    {
        var counter = new ProcessAllocationCounter();
        Assert.Null(counter.AllocatedBytes);
        Assert.True(double.IsNaN(counter.LastReadingMs));
        Assert.False(counter.FirstReading.IsCompleted);
    }

    [Fact]
    public void LastReadingMs_NeverGoesBack_WhenAnOlderReadingArrivesLate()
    {
        var counter = new ProcessAllocationCounter();
        counter.OnReading(new ProcessAllocatedEvent(3_000, AllocatedCounterKind.EventCounter, 9_000));
        counter.OnReading(new ProcessAllocatedEvent(2_000, AllocatedCounterKind.EventCounter, 5_000));

        Assert.Equal(14_000, counter.AllocatedBytes);
        Assert.Equal(3_000, counter.LastReadingMs);
        Assert.True(counter.FirstReading.IsCompleted);
    }

    [Fact]
    public void AllocatedBytes_IgnoresANegativeIncrement()
    {
        var counter = new ProcessAllocationCounter();
        counter.OnReading(new ProcessAllocatedEvent(1_000, AllocatedCounterKind.EventCounter, 5_000));
        counter.OnReading(new ProcessAllocatedEvent(2_000, AllocatedCounterKind.EventCounter, -1));

        Assert.Equal(5_000, counter.AllocatedBytes);
    }

    [Fact]
    public void AllocatedBytes_IsTheMetersLatestCumulativeValue_ForASessionThatStartedWithTheProcess()
    {
        var counter = new ProcessAllocationCounter();
        counter.OnReading(new ProcessAllocatedEvent(100, AllocatedCounterKind.Meter, 2_000_000));
        counter.OnReading(new ProcessAllocatedEvent(300, AllocatedCounterKind.Meter, 5_000_000));
        counter.OnReading(new ProcessAllocatedEvent(200, AllocatedCounterKind.Meter, 3_000_000)); // late, older

        Assert.Equal(5_000_000, counter.AllocatedBytes);
    }
}
