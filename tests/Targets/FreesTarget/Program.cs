// The target of the frees integration test (tests/Profiler.Tests/Integration/FreesIntegrationTests.cs) and of the
// overhead measurement in docs/performance.md.
//
// Protocol (line-based, stdout/stdin):
//   prints "PID <pid>" then "WAITING", waits for one line on stdin (the profiler is listening by then);
//   group "retained" allocates ~32 MB in 32,768 byte arrays of 1,000 bytes kept in a static list;
//   group "garbage" allocates ~300 MB of short-lived arrays;
//   runs three forced, blocking, compacting gen2 GCs, prints "READY", waits for one more line on stdin and exits.
// With "--background", it then releases every other retained array (16 MiB, all in gen2 by then) and lets a
// background GC find them dead while it keeps allocating garbage (so ephemeral GCs run during the background GC).
// The .NET 10 runtime does not always run that GC in the background: it was seen logged as Background yet done as a
// blocking compacting or sweeping GC on the calling thread; the tracker handles all three shapes.
// With "--bench <rounds>", after "WAITING" and the go line, it retains the 32 MiB, runs the garbage workload
// <rounds> times (a forced compacting gen2 GC every 4 rounds), prints "ELAPSED_MS <ms>" and waits for a line before
// exiting: the throughput figure of docs/performance.md, "Tracking frees: overhead".
using System.Diagnostics;
using System.Runtime;
using TrackingProfiler.Grouping;

namespace TrackingProfiler.Targets.FreesTarget;

internal static class Program
{
    private const int RetainedCount = 32 * 1024;
    private const int RetainedSize = 1_000;
    private const long GarbageBytes = 300L * 1024 * 1024;

    private static readonly List<byte[]> s_retained = new(RetainedCount);
    private static readonly AllocationGroupToken s_retainedGroup = AllocationGroupToken.Register("retained");
    private static readonly AllocationGroupToken s_garbageGroup = AllocationGroupToken.Register("garbage");

    // Keeps the JIT from dropping the garbage allocations.
    private static long s_sink;

    private static int Main(string[] args)
    {
        bool bench = args.Length == 2 && args[0] == "--bench";
        Console.WriteLine($"PID {Environment.ProcessId}");
        Console.WriteLine($"GC server={GCSettings.IsServerGC} latency={GCSettings.LatencyMode}");
        // Both groups are registered before WAITING, so an attaching profiler learns their names in the rundown.
        GC.KeepAlive(s_retainedGroup);
        GC.KeepAlive(s_garbageGroup);
        Console.WriteLine("WAITING");
        Console.Out.Flush();
        if (Console.ReadLine() is null)
        {
            return 1;
        }

        if (bench)
        {
            return Bench(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        using (s_retainedGroup.Enter())
        {
            for (int i = 0; i < RetainedCount; i++)
            {
                s_retained.Add(new byte[RetainedSize]);
            }
        }

        AllocateGarbage();

        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        if (args.Length == 1 && args[0] == "--background")
        {
            ReleaseHalfInBackgroundGc();
        }

        Console.WriteLine($"READY retained={s_retained.Count} sink={s_sink}");
        Console.Out.Flush();
        Console.ReadLine();
        GC.KeepAlive(s_retained);
        return 0;
    }

    private static int Bench(int rounds)
    {
        var watch = Stopwatch.StartNew();
        using (s_retainedGroup.Enter())
        {
            for (int i = 0; i < RetainedCount; i++)
            {
                s_retained.Add(new byte[RetainedSize]);
            }
        }

        for (int i = 0; i < rounds; i++)
        {
            AllocateGarbage();
            if (i % 4 == 3)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        }

        Console.WriteLine($"ELAPSED_MS {watch.Elapsed.TotalMilliseconds:F0} gcs={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        Console.Out.Flush();
        Console.ReadLine();
        return 0;
    }

    private static void ReleaseHalfInBackgroundGc()
    {
        var kept = s_retained.Where((_, i) => i % 2 == 0).ToList();
        s_retained.Clear();
        s_retained.AddRange(kept);
        int gen2Before = GC.CollectionCount(2);
        long backgroundBefore = GC.GetGCMemoryInfo(GCKind.Background).Index;
        long blockingBefore = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        using (s_garbageGroup.Enter())
        {
            // Garbage while the background GC marks and sweeps: foreground gen0/gen1 GCs run in between.
            var watch = Stopwatch.StartNew();
            while (GC.CollectionCount(2) == gen2Before || watch.ElapsedMilliseconds < 200)
            {
                for (int i = 0; i < 10_000; i++)
                {
                    s_sink += new byte[100].Length;
                }

                if (watch.ElapsedMilliseconds > 10_000)
                {
                    break;
                }
            }
        }

        // Wait for that gen2 GC to have ended (the runtime may run it as a background GC or, forced, on this thread),
        // then collect the young garbage left over (a gen1 GC: it does not condemn gen2, so the retained arrays'
        // deaths were found by the gen2 GC above).
        var ended = Stopwatch.StartNew();
        while (GC.GetGCMemoryInfo(GCKind.Background).Index == backgroundBefore
            && GC.GetGCMemoryInfo(GCKind.FullBlocking).Index == blockingBefore
            && ended.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(1);
        }

        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
    }

    private static void AllocateGarbage()
    {
        using (s_garbageGroup.Enter())
        {
            // Mixed small sizes, all dead soon after: the usual request-scoped garbage.
            long allocated = 0;
            int i = 0;
            while (allocated < GarbageBytes)
            {
                int size = 64 + (i++ % 16) * 128;
                var array = new byte[size];
                array[0] = (byte)i;
                s_sink += array[0];
                allocated += size + 24;
            }
        }
    }
}
