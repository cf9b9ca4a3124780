namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// The unbiased weight of an <c>AllocationSampled</c> sample. The runtime samples each allocated byte with
/// probability p = 1/102400 (a geometric distribution of gaps), so an object of s bytes is sampled with probability
/// 1 - q^s, q = 1 - p, and weighting it by s / (1 - q^s) makes the sum an unbiased estimate of the bytes allocated
/// (Horvitz–Thompson). See dotnet/runtime docs/design/features/RandomizedAllocationSampling.md.
/// </summary>
internal static class SampleWeight
{
    /// <summary>The runtime's mean sampling distance in bytes.</summary>
    public const double MeanSamplingDistance = 102_400;

    private static readonly double s_logQ = double.LogP1(-1.0 / MeanSamplingDistance);

    /// <summary>Probability that an object of <paramref name="objectSize"/> bytes is sampled.</summary>
    public static double InclusionProbability(long objectSize) => objectSize <= 0 ? 0 : -double.ExpM1(objectSize * s_logQ);

    /// <summary>The bytes a sample of an object of <paramref name="objectSize"/> bytes stands for.</summary>
    public static double Of(long objectSize) => objectSize <= 0 ? 0 : objectSize / InclusionProbability(objectSize);
}
