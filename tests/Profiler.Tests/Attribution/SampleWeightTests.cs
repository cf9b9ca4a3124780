using TrackingProfiler.Profiler.Tracking;
using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>The sample weight against closed forms and a byte-by-byte simulation, not against its own formula.</summary>
public class SampleWeightTests
{
    [Fact]
    public void Of_IsExactlyTheSamplingDistance_WhenTheObjectIsOneByte()
    {
        // A 1-byte object is sampled with probability p = 1/102,400 exactly: it stands for 102,400 bytes.
        Assert.Equal(102_400, SampleWeight.Of(1), 6);
    }

    [Theory]
    [InlineData(2, 102_400.5)]     // 2 / (1 - q²) = 2 / (p (2 - p)) = 102,400.50000244
    [InlineData(24, 102_411.5)]    // small s: 1/p - 1/2 + s/2 + O(s² p), to within 0.001 at 24 bytes
    [InlineData(1_000, 102_900.3)] // s / (1 - (1 - p)^s) evaluated outside this code: 102,900.31
    public void Of_MatchesTheClosedForm_WhenTheObjectIsSmall(long size, double expected)
    {
        Assert.Equal(expected, SampleWeight.Of(size), 0.05);
    }

    [Fact]
    public void Of_ApproachesTheObjectSize_WhenTheObjectIsMuchLargerThanTheDistance()
    {
        // 10 MiB is ~102 sampling distances: sampled with probability 1 - e^-102.4, weight = size to 1e-40.
        long size = 10 * 1024 * 1024;
        Assert.Equal(size, SampleWeight.Of(size), 1e-3);
    }

    [Fact]
    public void Of_IsUnbiased_WhenTheRuntimesSamplingIsSimulated()
    {
        // Bernoulli-per-byte sampling simulated independently; sum of weights of the sampled objects against truth.
        // 1.3 × 10¹¹ bytes give ~1.3 M samples, dominated by the large objects: the relative error is ~0.1% at 1σ,
        // so ±0.5% still fails a weight that is off by 1% (and the seed is fixed: deterministic).
        var random = new Random(12345);
        var sampler = new BernoulliByteSampler(random);
        long[] sizes = [24, 100, 1_000, 8_000, 90_000, 300_000];
        double truth = 0, estimate = 0;
        for (int i = 0; i < 2_000_000; i++)
        {
            long size = sizes[i % sizes.Length];
            truth += size;
            if (sampler.Allocate(size))
            {
                estimate += SampleWeight.Of(size);
            }
        }

        Assert.InRange(estimate / truth, 0.995, 1.005);
    }

    [Fact]
    public void Of_IsUnbiased_ForEachSize_WhenThatSizeIsAllocatedAlone()
    {
        // Per size, the mean weight of a sample times the sample count must give the bytes: a weight of size/p (the
        // naive one) would overestimate large objects ~3× at 300 KB, and plain 1/p underestimate them.
        foreach (long size in new long[] { 50_000, 300_000 })
        {
            var sampler = new BernoulliByteSampler(new Random((int)size));
            double estimate = 0;
            const int Count = 20_000;
            for (int i = 0; i < Count; i++)
            {
                if (sampler.Allocate(size))
                {
                    estimate += SampleWeight.Of(size);
                }
            }

            Assert.InRange(estimate / (Count * (double)size), 0.97, 1.03);
        }
    }
}
