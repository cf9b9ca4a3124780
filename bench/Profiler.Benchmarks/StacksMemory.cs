using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Stacks;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// The tool's memory for call paths: a million synthetic samples (30-frame stacks, 8 groups) fed to the
/// <see cref="CallPathTracker"/> with 1,000 / 100,000 / 1,000,000 distinct stacks, retained managed bytes measured
/// after a full GC, and the time to resolve the report. The cap (200,000 distinct stacks) bounds the worst case.
/// </summary>
internal static class StacksMemory
{
    public static int Run()
    {
        const int samples = 1_000_000;
        const int depth = 30;
        var methods = new MethodAddressMap();
        methods.AddModule(1, "/app/App.dll");
        for (int m = 0; m < 20_000; m++)
        {
            methods.AddMethod(new MethodCode(0x10000UL + ((ulong)m * 0x400), 0x400, $"App.Namespace.Type{m / 10}.Method{m % 10}", 1));
        }

        Console.WriteLine("distinct stacks  retained MB  per million samples  kept  resolve+report ms");
        foreach (int distinct in new[] { 1_000, 100_000, 1_000_000 })
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var tracker = new CallPathTracker();
            for (int i = 0; i < samples; i++)
            {
                int stackId = i % distinct;
                var stack = new ulong[depth];
                var r = new Random(stackId);
                for (int f = 0; f < depth; f++)
                {
                    stack[f] = 0x10000UL + ((ulong)r.Next(20_000) * 0x400) + 0x10;
                }

                tracker.Allocated(new AttributedAllocation(stackId % 8, "System.Byte[]", 1000, 102_400, SampleKind.Randomized, 1, 0, 0, stack));
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            var clock = Stopwatch.StartNew();
            var groups = tracker.AddCallPaths([.. Enumerable.Range(0, 8).Select(g => new TrackingProfiler.Profiler.Reports.GroupReport { Id = g })], methods);
            clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{distinct,15:N0}  {retained / 1e6,11:0.0}  {retained / 1e6,19:0.0}  {Math.Min(distinct, 200_000),4:N0}  {clock.ElapsedMilliseconds,17:N0}"));
            GC.KeepAlive(tracker);
            GC.KeepAlive(groups);
        }

        return 0;
    }
}
