using System.Diagnostics.Metrics;
using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping;

/// <summary>
/// Per-group allocation as a <see cref="System.Diagnostics.Metrics"/> instrument, so that <c>dotnet-counters</c> and
/// OpenTelemetry exporters show it in production: meter <see cref="MeterName"/>, observable counter
/// <see cref="InstrumentName"/> in bytes, one measurement per group tagged with its name and id.
/// </summary>
/// <remarks>
/// The values are <see cref="AllocationGroupToken.AllocatedBytes"/> (without the pending interval of the collecting
/// thread): they grow while accounting is on — after <see cref="AllocationRegistry.EnableTracking"/>, or while a
/// profiler asks for totals. Before accounting was ever on, nothing is reported: no measurement rather than a false 0.
/// </remarks>
public static class GroupAllocationMeter
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "TrackingProfiler.Grouping";

    /// <summary>The observable counter's name.</summary>
    public const string InstrumentName = "alloctrack.group.allocated";

    /// <summary>The tag holding the group's name (names may repeat; <see cref="GroupIdTag"/> tells groups apart).</summary>
    public const string GroupTag = "group";

    /// <summary>The tag holding the group's numeric id.</summary>
    public const string GroupIdTag = "group.id";

    /// <summary>The <see cref="GroupTag"/> value of the root group (code in no group).</summary>
    public const string RootGroupName = "(root)";

    private static Meter? s_meter;

    /// <summary>Creates the meter on first use (the first group registration), so that listeners can find it.</summary>
    internal static void EnsureCreated()
    {
        if (Volatile.Read(ref s_meter) is not null)
        {
            return;
        }

        var meter = new Meter(MeterName);
        if (Interlocked.CompareExchange(ref s_meter, meter, null) is null)
        {
            meter.CreateObservableCounter(InstrumentName, Observe, unit: "By", description: "Exact bytes allocated per allocation group while accounting was on.");
        }
        else
        {
            meter.Dispose();
        }
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        if (!GroupAccounting.HasEverAccounted)
        {
            return [];
        }

        var tokens = AllocationGroupRegistry.Snapshot();
        long[] totals = GroupAccounting.Totals(AllocationGroupRegistry.LastId);
        var measurements = new List<Measurement<long>>(tokens.Length + 1)
        {
            Measure(totals[EventContract.RootGroupId], RootGroupName, EventContract.RootGroupId),
        };
        foreach (var token in tokens)
        {
            int id = token.Id.Value;
            measurements.Add(Measure(id < totals.Length ? totals[id] : 0, token.Name, id));
        }

        return measurements;
    }

    private static Measurement<long> Measure(long bytes, string name, int id) =>
        new(bytes, new KeyValuePair<string, object?>(GroupTag, name), new KeyValuePair<string, object?>(GroupIdTag, id));
}
