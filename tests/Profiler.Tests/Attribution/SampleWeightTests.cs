using TrackingProfiler.Profiler.Tracking;
using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class SampleWeightTests
{
    [Fact]
    public void Of_IsAboutTheSamplingDistance_WhenObjectIsSmall()
    {
        // A 24-byte object is sampled with probability ≈ 24/102400, so it stands for ≈ 102400 bytes.
        Assert.InRange(SampleWeight.Of(24), 102_400, 102_400 + 24);
    }

    [Fact]
    public void Of_ApproachesTheObjectSize_WhenObjectIsMuchLargerThanTheDistance()
    {
        long size = 10 * 1024 * 1024;
        Assert.InRange(SampleWeight.Of(size), size, size * 1.0001);
    }

    [Fact]
    public void Of_IsUnbiased_WhenSamplingIsSimulated()
    {
        // Simulate the runtime's Bernoulli-per-byte sampling on objects of mixed sizes and compare sum of weights with truth.
        var random = new Random(12345);
        long[] sizes = [24, 100, 1_000, 8_000, 90_000, 300_000];
        double truth = 0, estimate = 0;
        for (int i = 0; i < 2_000_000; i++)
        {
            long size = sizes[i % sizes.Length];
            truth += size;
            if (random.NextDouble() < SampleWeight.InclusionProbability(size))
            {
                estimate += SampleWeight.Of(size);
            }
        }

        Assert.InRange(estimate / truth, 0.98, 1.02);
    }
}
