using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Tracking;

public class ProcessAllocationCounterTests
{
    [Fact]
    public void AllocatedBytes_IsTheMetersGrowthBetweenItsFirstAndLastReadings_WhenTheSessionAttached()
    {
        var counter = new ProcessAllocationCounter(fromProcessStart: false);
        counter.OnReading(new ProcessAllocatedEvent(1_000, AllocatedCounterKind.Meter, 39_542_224));
        counter.OnReading(new ProcessAllocatedEvent(2_000, AllocatedCounterKind.Meter, 59_661_256));
        counter.OnReading(new ProcessAllocatedEvent(3_000, AllocatedCounterKind.Meter, 79_838_344));

        Assert.Equal(79_838_344 - 39_542_224, counter.AllocatedBytes);

        // Nothing before the first reading is in the total: the report must say so rather than let the groups exceed it unexplained.
        Assert.Equal(1_000, counter.UncoveredUntilMs);
    }

    [Fact]
    public void AllocatedBytes_IsTheMetersLastValue_AndCoversTheWholeSession_WhenTheSessionSawTheProcessStart()
    {
        var counter = new ProcessAllocationCounter(fromProcessStart: true);
        counter.OnReading(new ProcessAllocatedEvent(100, AllocatedCounterKind.Meter, 2_000_000));
        counter.OnReading(new ProcessAllocatedEvent(200, AllocatedCounterKind.Meter, 5_000_000));

        Assert.Equal(5_000_000, counter.AllocatedBytes);
        Assert.Null(counter.UncoveredUntilMs);
    }

    [Fact]
    public void AllocatedBytes_SumsTheEventCountersIncrements_WhichStartAtEnable()
    {
        var counter = new ProcessAllocationCounter(fromProcessStart: false);
        counter.OnReading(new ProcessAllocatedEvent(1_000, AllocatedCounterKind.EventCounter, 20_000_000));
        counter.OnReading(new ProcessAllocatedEvent(2_000, AllocatedCounterKind.EventCounter, 30_000_000));

        Assert.Equal(50_000_000, counter.AllocatedBytes);
        Assert.Null(counter.UncoveredUntilMs);
    }

    [Fact]
    public void AllocatedBytes_IsNull_AndNothingIsUncovered_BeforeAnyReading()
    {
        var counter = new ProcessAllocationCounter(fromProcessStart: false);
        Assert.Null(counter.AllocatedBytes);
        Assert.Null(counter.UncoveredUntilMs);
        Assert.False(counter.FirstReading.IsCompleted);
    }

    [Fact]
    public void AllocatedBytes_NeverShrinks_WhenAnOlderMeterReadingArrivesLate()
    {
        var counter = new ProcessAllocationCounter(fromProcessStart: false);
        counter.OnReading(new ProcessAllocatedEvent(1_000, AllocatedCounterKind.Meter, 1_000));
        counter.OnReading(new ProcessAllocatedEvent(3_000, AllocatedCounterKind.Meter, 9_000));
        counter.OnReading(new ProcessAllocatedEvent(2_000, AllocatedCounterKind.Meter, 5_000));

        Assert.Equal(8_000, counter.AllocatedBytes);
    }
}
