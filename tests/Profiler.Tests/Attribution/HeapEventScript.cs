using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>
/// Drives a <see cref="HeapSurvivalAnalyzer"/> with synthetic event sequences shaped like the runtime's (see the
/// remarks on the tracker) and records what it reports.
/// </summary>
internal sealed class HeapEventScript
{
    public const int UserThread = 100;
    public const int BgcThread = 200;

    private double _time;
    private int _gcNumber;

    public HeapEventScript(HeapSurvivalOptions? options = null)
    {
        Tracker = new HeapSurvivalAnalyzer(Frees.Add, Gen2.Add, options ?? new HeapSurvivalOptions());
    }

    public HeapSurvivalAnalyzer Tracker { get; }

    public List<AttributedFree> Frees { get; } = [];

    public List<AttributedSurvival> Gen2 { get; } = [];

    public IEnumerable<ulong> FreedAddresses => Frees.Select(f => f.Address);

    public HeapEventScript Allocate(ulong address, long size = 1_000, int group = 7, int thread = UserThread)
    {
        Tracker.OnAllocation(new AttributedAllocation(group, "System.Byte[]", size, SampleWeight.Of(size), SampleKind.Randomized, thread, address, Tick()));
        return this;
    }

    /// <summary>Starts a GC and returns its number.</summary>
    public int Start(int depth, GcKind kind = GcKind.NonConcurrent, int thread = UserThread)
    {
        int number = ++_gcNumber;
        Tracker.OnGcStart(new GcStartEvent(Tick(), thread, number, depth, kind));
        return number;
    }

    public HeapEventScript End(int number, int depth, int thread = UserThread)
    {
        Tracker.OnGcEnd(new GcEndEvent(Tick(), thread, number, depth));
        return this;
    }

    public HeapEventScript Survived(ulong start, ulong length, int thread = UserThread)
    {
        Tracker.OnSurvivingRange(new SurvivingRangeEvent(Tick(), thread, start, length));
        return this;
    }

    public HeapEventScript Moved(ulong from, ulong to, ulong length, int thread = UserThread)
    {
        Tracker.OnMovedRange(new MovedRangeEvent(Tick(), thread, from, to, length));
        return this;
    }

    /// <summary>One <c>GCGenerationRange</c> burst, in the runtime's order (4, 3, 2, 1, 0).</summary>
    public HeapEventScript Layout(int thread = UserThread, params (int Generation, ulong Start, ulong Used)[] ranges)
    {
        foreach (var (generation, start, used) in ranges.OrderByDescending(r => r.Generation))
        {
            Tracker.OnGenerationRange(new GenerationRangeEvent(Tick(), thread, generation, start, used));
        }

        return this;
    }

    /// <summary>A whole blocking GC: start, the given ranges, end.</summary>
    public int BlockingGc(int depth, params (ulong From, ulong To, ulong Length)[] moved)
    {
        int number = Start(depth);
        foreach (var (from, to, length) in moved)
        {
            if (from == to)
            {
                Survived(from, length);
            }
            else
            {
                Moved(from, to, length);
            }
        }

        End(number, depth);
        return number;
    }

    public HeapEventScript Lost(long count = 10)
    {
        Tracker.OnEventsLost(new EventsLostEvent(Tick(), count));
        return this;
    }

    private double Tick() => _time += 1;
}
