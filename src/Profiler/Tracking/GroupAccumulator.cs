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

    /// <summary>Stream time of the latest sample: a sample after <see cref="ExactAsOfMs"/> proves bytes the exact figure misses.</summary>
    public double LastSampleMs { get; set; }

    public SampledByteEstimator Allocated { get; } = new();

    public bool HasTickSamples { get; set; }

    public Dictionary<string, TypeAccumulator> Types { get; } = new(StringComparer.Ordinal);

    public SampledByteEstimator Live { get; } = new();

    public double FreedBytes { get; set; }

    public double Gen2Bytes { get; set; }

    /// <summary>Folds every figure of <paramref name="other"/> into this group (sums; the interval stays valid: samples are independent).</summary>
    public void Absorb(GroupAccumulator other)
    {
        if (other.ExactBytes is long exact)
        {
            ExactBytes = (ExactBytes ?? 0) + exact;
            ExactAsOfMs = ExactAsOfMs is double mine && other.ExactAsOfMs is double theirs ? Math.Min(mine, theirs) : ExactAsOfMs ?? other.ExactAsOfMs;
        }

        LastSampleMs = Math.Max(LastSampleMs, other.LastSampleMs);
        Allocated.Add(other.Allocated);
        HasTickSamples |= other.HasTickSamples;
        foreach (var (name, type) in other.Types)
        {
            if (!Types.TryGetValue(name, out var mine))
            {
                mine = new TypeAccumulator();
                Types[name] = mine;
            }

            mine.Bytes += type.Bytes;
            mine.Samples += type.Samples;
        }

        Live.Add(other.Live);
        FreedBytes += other.FreedBytes;
        Gen2Bytes += other.Gen2Bytes;
    }

    public void AddSample(in AttributedAllocation allocation)
    {
        Allocated.Add(allocation.ObjectSize, allocation.Weight);
        LastSampleMs = Math.Max(LastSampleMs, allocation.TimestampMs);
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
