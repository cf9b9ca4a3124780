using TrackingProfiler.Profiler.Tracking;
using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

public class SampledByteEstimatorTests
{
    [Fact]
    public void Interval_ContainsTheTruthAbout95PercentOfTheTime_WhenSamplingIsSimulated()
    {
        var random = new Random(2026);
        long[] sizes = [24, 64, 200, 1_000, 4_000, 40_000];
        int runs = 200, covered = 0;
        for (int run = 0; run < runs; run++)
        {
            var estimator = new SampledByteEstimator();
            double truth = 0;
            for (int i = 0; i < 200_000; i++)
            {
                long size = sizes[random.Next(sizes.Length)];
                truth += size;
                if (random.NextDouble() < SampleWeight.InclusionProbability(size))
                {
                    estimator.Add(size, SampleWeight.Of(size));
                }
            }

            var (low, high) = estimator.Interval95();
            if (truth >= low && truth <= high)
            {
                covered++;
            }
        }

        Assert.InRange(covered / (double)runs, 0.90, 0.995);
    }

    [Fact]
    public void Interval_IsAboutSixPercent_WhenThereAreAThousandSamples()
    {
        var estimator = new SampledByteEstimator();
        for (int i = 0; i < 1_000; i++)
        {
            estimator.Add(32, SampleWeight.Of(32));
        }

        var (low, high) = estimator.Interval95();
        Assert.InRange((estimator.Estimate - low) / estimator.Estimate, 0.05, 0.07);
        Assert.InRange((high - estimator.Estimate) / estimator.Estimate, 0.05, 0.07);
    }

    [Fact]
    public void Interval_HasAnUpperBound_WhenThereIsNoSample()
    {
        var (low, high) = new SampledByteEstimator().Interval95();
        Assert.Equal(0, low);
        Assert.InRange(high, 300_000, 400_000);
    }

    [Fact]
    public void Remove_UndoesAdd_WhenAFreeIsInferred()
    {
        var estimator = new SampledByteEstimator();
        estimator.Add(1_000, SampleWeight.Of(1_000));
        estimator.Add(2_000, SampleWeight.Of(2_000));
        estimator.Remove(1_000, SampleWeight.Of(1_000));
        Assert.Equal(1, estimator.Samples);
        Assert.Equal(SampleWeight.Of(2_000), estimator.Estimate, 6);
    }
}
