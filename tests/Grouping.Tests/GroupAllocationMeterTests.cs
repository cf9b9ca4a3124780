using System.Diagnostics.Metrics;

namespace TrackingProfiler.Grouping.Tests;

[Collection("events")]
public class GroupAllocationMeterTests
{
    [Fact]
    public void ObservableCounter_ReportsEachGroupsExactBytes_TaggedWithItsName()
    {
        var group = AllocationGroupToken.Register("metered", ("tier", "api"));
        using var tracking = new TrackingScope();
        long truth;
        using (group.Enter())
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(new byte[256 * 1024]);
            truth = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var seen = new List<(long Value, Dictionary<string, object?> Tags)>();
        Instrument? instrument = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == GroupAllocationMeter.MeterName && i.Name == GroupAllocationMeter.InstrumentName)
                {
                    instrument = i;
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            seen.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.NotNull(instrument);
        Assert.Equal("By", instrument.Unit);
        Assert.IsAssignableFrom<ObservableCounter<long>>(instrument);
        var mine = Assert.Single(seen, m => Equals(m.Tags[GroupAllocationMeter.GroupIdTag], group.Id.Value));
        Assert.Equal("metered", mine.Tags[GroupAllocationMeter.GroupTag]);
        Assert.InRange(mine.Value, truth, truth + 1024);
        Assert.Contains(seen, m => Equals(m.Tags[GroupAllocationMeter.GroupTag], GroupAllocationMeter.RootGroupName)
                                   && Equals(m.Tags[GroupAllocationMeter.GroupIdTag], 0));
    }
}
