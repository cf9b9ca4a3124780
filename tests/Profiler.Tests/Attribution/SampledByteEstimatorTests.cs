using TrackingProfiler.Profiler.Tracking;
using TrackingProfiler.Profiler.Attribution;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>
/// The estimator against truths computed independently of it: the runtime's sampling simulated byte by byte (see
/// <see cref="BernoulliByteSampler"/>), and exact Poisson intervals from the chi-square/gamma relation.
/// </summary>
public class SampledByteEstimatorTests
{
    [Fact]
    public void Interval_ContainsTheTruthAbout95PercentOfTheTime_WhenTheRuntimesSamplingIsSimulated()
    {
        var random = new Random(2026);
        long[] sizes = [24, 64, 200, 1_000, 4_000, 40_000];
        int runs = 200, covered = 0;
        for (int run = 0; run < runs; run++)
        {
            var sampler = new BernoulliByteSampler(random);
            var estimator = new SampledByteEstimator();
            double truth = 0;
            for (int i = 0; i < 200_000; i++)
            {
                long size = sizes[random.Next(sizes.Length)];
                truth += size;
                if (sampler.Allocate(size))
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

        // 200 runs at a true 95%: the count is binomial (σ ≈ 3.1 runs), so 95% ± 4σ.
        Assert.InRange(covered / (double)runs, 0.887, 1.0);
    }

    [Fact]
    public void Interval_IsTheExactPoissonInterval_WhenAllSamplesHaveTheSameSmallSize()
    {
        // n samples of tiny objects: the count is Poisson, and the exact (Garwood) 95% interval for n = 1,000 is
        // [938.97, 1063.95] (the means λ with P(X ≥ 1000 | λ) = 0.025 and P(X ≤ 1000 | λ) = 0.025, found by bisection
        // on the Poisson CDF outside this code). In bytes it scales by the weight; the runtime's design doc quotes
        // it as ≈ ±6%. The estimator may be wider (it takes the wider of this and a normal interval), by < 0.2%.
        var estimator = new SampledByteEstimator();
        for (int i = 0; i < 1_000; i++)
        {
            estimator.Add(32, SampleWeight.Of(32));
        }

        double weight = estimator.Estimate / 1_000;
        var (low, high) = estimator.Interval95();
        Assert.InRange(low / weight, 938.97 - 1.5, 938.97 + 1.5);
        Assert.InRange(high / weight, 1063.95 - 1.5, 1063.95 + 1.5);
    }

    [Fact]
    public void Interval_IsFromZeroToTheZeroCountBound_WhenThereIsNoSample()
    {
        // No sample: the one-sided 97.5% bound of a Poisson mean is -ln(0.025) = 3.6889 sampling distances.
        var (low, high) = new SampledByteEstimator().Interval95();
        Assert.Equal(0, low);
        Assert.Equal(3.688879 * 102_400, high, 1.0);
    }

    [Fact]
    public void Remove_UndoesAdd_WhenAFreeIsInferred()
    {
        var estimator = new SampledByteEstimator();
        estimator.Add(1_000, SampleWeight.Of(1_000));
        estimator.Add(2_000, SampleWeight.Of(2_000));
        var before = new SampledByteEstimator();
        before.Add(2_000, SampleWeight.Of(2_000));

        estimator.Remove(1_000, SampleWeight.Of(1_000));
        Assert.Equal(1, estimator.Samples);
        Assert.Equal(before.Estimate, estimator.Estimate, 6);
        Assert.Equal(before.Interval95().Low, estimator.Interval95().Low, 3);
        Assert.Equal(before.Interval95().High, estimator.Interval95().High, 3);
    }
}

/// <summary>
/// The runtime's randomized allocation sampling, simulated as its design doc states it and independently of the code
/// under test: every allocated byte is sampled with probability 1/102,400; an object is reported once if any of its
/// bytes is. The distance to the next sampled byte is drawn from the geometric distribution by inversion.
/// </summary>
internal sealed class BernoulliByteSampler(Random random)
{
    private const double P = 1.0 / 102_400;
    private double _untilNextSampledByte = double.NaN;

    /// <summary>Allocates an object of <paramref name="size"/> bytes; true when it is sampled.</summary>
    public bool Allocate(long size)
    {
        if (double.IsNaN(_untilNextSampledByte))
        {
            _untilNextSampledByte = NextGap();
        }

        if (_untilNextSampledByte >= size)
        {
            _untilNextSampledByte -= size;
            return false;
        }

        // Sampled. Bytes are independent, so the gap restarts after the object's last byte (memoryless).
        _untilNextSampledByte = NextGap();
        return true;
    }

    /// <summary>Bytes before the next sampled one: Geometric(P) on {0, 1, ...}, floor(ln U / ln(1 - P)).</summary>
    private double NextGap() => Math.Floor(Math.Log(1 - random.NextDouble()) / Math.Log(1 - P));
}
