// A target for integration tests. It prints READY, waits for a line on stdin (so the profiler is surely listening),
// then runs its workload and prints its own ground truth: the bytes each group's code allocated, measured on each
// thread with GC.GetAllocatedBytesForCurrentThread() around every synchronous segment.
//   AllocTarget work   run the groups "sync" and "async", print TRUTH {json}, exit 0
//   AllocTarget idle   wait until stdin closes (a live process for attach tests)
//   AllocTarget flood  allocate as fast as possible in groups "flood-a" (sync) and "flood-b" (async,
//                      hopping threads) for ~2 s, print FLOODED, wait for a line, allocate a little more in each group,
//                      print TRUTH {json}, exit 0: the burst that, with a tiny buffer and a consumer held back, makes
//                      EventPipe lose events
using System.Text.Json;
using TrackingProfiler.Grouping;

var sync = AllocationGroupToken.Register("sync", ("kind", "sync"));
var asyncGroup = AllocationGroupToken.Register("async", ("kind", "async"));
string mode = args.Length > 0 ? args[0] : "work";

Console.WriteLine("READY");
Console.Out.Flush();
if (mode == "idle")
{
    while (Console.In.ReadLine() is not null)
    {
    }

    return 0;
}

Console.In.ReadLine();
if (mode == "flood")
{
    return await FloodAsync();
}

long syncTruth = 0, asyncTruth = 0;
object? sink = null;

using (sync.Enter())
{
    for (int i = 0; i < 600; i++)
    {
        syncTruth += Measure(() => sink = new byte[100_000]);
        syncTruth += Measure(() => sink = string.Concat(Enumerable.Repeat("x", 2_000)));
    }
}

await RunAsync();
GC.KeepAlive(sink);
Console.WriteLine("TRUTH " + JsonSerializer.Serialize(new Dictionary<string, long> { ["sync"] = syncTruth, ["async"] = asyncTruth }));
return 0;

async Task RunAsync()
{
    using (asyncGroup.Enter())
    {
        for (int i = 0; i < 60; i++)
        {
            long mine = Measure(() => sink = new byte[256 * 1024]);
            mine += Measure(() => sink = Enumerable.Range(0, 5_000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
            Interlocked.Add(ref asyncTruth, mine);
            await Task.Delay(1).ConfigureAwait(false); // the continuation may run on another thread
        }

        var fanOut = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            long mine = Measure(() => sink = new byte[1024 * 1024]);
            Interlocked.Add(ref asyncTruth, mine);
        }));
        await Task.WhenAll(fanOut).ConfigureAwait(false);
    }

    // Let pool threads return to their default context, which closes their intervals in the group, and live long
    // enough for one more periodic totals publication to be written and streamed (tests ask for 100 ms): totals
    // written while the process exits did not reach an EventPipe session on .NET 10.0.12 (docs/architecture.md).
    await Task.Delay(400).ConfigureAwait(false);
}

static async Task<int> FloodAsync()
{
    var floodA = AllocationGroupToken.Register("flood-a");
    var floodB = AllocationGroupToken.Register("flood-b");
    long truthA = 0, truthB = 0;
    object? keep = null;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    while (clock.ElapsedMilliseconds < 2_000)
    {
        using (floodA.Enter())
        {
            truthA += Measure(() =>
            {
                for (int i = 0; i < 500; i++)
                {
                    keep = new byte[4_000];
                }
            });
        }

        using (floodB.Enter())
        {
            long mine = Measure(() =>
            {
                for (int i = 0; i < 500; i++)
                {
                    keep = new object[500];
                }
            });
            await Task.Yield(); // the rest of the scope runs on a pool thread
            mine += Measure(() =>
            {
                for (int i = 0; i < 500; i++)
                {
                    keep = new byte[6_000];
                }
            });
            truthB += mine;
        }
    }

    GC.KeepAlive(keep);
    Console.WriteLine("FLOODED");
    Console.Out.Flush();
    Console.In.ReadLine();

    // A tail in each group after the burst, in steps: the library publishes only totals that changed, so a group's
    // totals dropped during the burst are healed by its next change. Several steps give several chances.
    for (int step = 0; step < 3; step++)
    {
        using (floodA.Enter())
        {
            truthA += Measure(() => keep = new byte[100_000]);
        }

        using (floodB.Enter())
        {
            truthB += Measure(() => keep = new byte[100_000]);
        }

        await Task.Delay(150);
    }

    Console.WriteLine("TRUTH " + JsonSerializer.Serialize(new Dictionary<string, long> { ["flood-a"] = truthA, ["flood-b"] = truthB }));
    await Task.Delay(400); // as in work mode: one more totals publication while the process still runs
    return 0;
}

static long Measure(Action action)
{
    long before = GC.GetAllocatedBytesForCurrentThread();
    action();
    return GC.GetAllocatedBytesForCurrentThread() - before;
}
