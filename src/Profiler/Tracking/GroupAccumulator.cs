using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>Running totals of one group. Not thread-safe: the aggregation tracker guards it.</summary>
internal sealed class GroupAccumulator(int id)
{
    public int Id { get; } = id;

    public string? Name { get; set; }

    public IReadOnlyList<(string Key, string Value)> Tags { get; set; } = [];

    /// <summary>Exact bytes since the session started, from the latest totals; null until totals arrive.</summary>
    public long? ExactBytes { get; set; }

    /// <summary>Stream time of the totals behind <see cref="ExactBytes"/>.</summary>
    public double? ExactAsOfMs { get; set; }

    public SampledByteEstimator Allocated { get; } = new();

    public bool HasTickSamples { get; set; }

    public Dictionary<string, TypeAccumulator> Types { get; } = new(StringComparer.Ordinal);

    public SampledByteEstimator Live { get; } = new();

    public double FreedBytes { get; set; }

    public double Gen2Bytes { get; set; }

    public void AddSample(in AttributedAllocation allocation)
    {
        Allocated.Add(allocation.ObjectSize, allocation.Weight);
        HasTickSamples |= allocation.Kind == SampleKind.Tick;
        if (!Types.TryGetValue(allocation.TypeName, out var type))
        {
            type = new TypeAccumulator();
            Types[allocation.TypeName] = type;
        }

        type.Bytes += allocation.Weight;
        type.Samples++;
        Live.Add(allocation.ObjectSize, allocation.Weight);
    }
}

internal sealed class TypeAccumulator
{
    public double Bytes { get; set; }

    public long Samples { get; set; }
}
