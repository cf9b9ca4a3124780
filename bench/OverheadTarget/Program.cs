// The workload of the overhead benchmark: prints its throughput (operations per second) over a fixed time.
// Usage: OverheadTarget <alloc|async> <seconds> [allocations per group entry]. Waits for a line on stdin so that a
// profiler can attach first. Few allocations per entry is a stress test of group changes; hundreds resemble requests.
using System.Diagnostics;
using TrackingProfiler.Grouping;

string workload = args.Length > 0 ? args[0] : "alloc";
double seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
int perEntry = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64;
var groups = Enumerable.Range(0, 4).Select(i => AllocationGroupToken.Register($"{workload}/{i}")).ToArray();

Console.WriteLine("READY");
Console.In.ReadLine();

long operations = 0;
var clock = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(seconds);
var workers = new Task[Environment.ProcessorCount];
for (int w = 0; w < workers.Length; w++)
{
    int worker = w;
    workers[w] = workload switch
    {
        "async" => Task.Run(() => AsyncLoop(worker)),
        "service" => Task.Run(() => ServiceLoop(worker)),
        _ => Task.Run(() => AllocLoop(worker)),
    };
}

Task.WaitAll(workers);

// CPU time is what the target pays, whatever else shares the machine: the stack walks run on the allocating threads.
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CPU_US_PER_OPERATION {Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds / Math.Max(1, operations):0.00}"));
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"OPS_PER_SECOND {operations / clock.Elapsed.TotalSeconds:0}"));
return 0;

void AllocLoop(int worker)
{
    // Allocation-heavy: small and medium objects, a group change every perEntry allocations.
    long local = 0;
    while (clock.Elapsed < deadline)
    {
        using (groups[(int)(local % groups.Length)].Enter())
        {
            for (int i = 0; i < perEntry; i++)
            {
                _ = new byte[32 + (i % 8) * 64];
                _ = new object();
            }
        }

        local++;
    }

    Interlocked.Add(ref operations, local);
}

async Task ServiceLoop(int worker)
{
    // Request-like: per operation, ~perEntry bytes of CPU work (a hash over a buffer), a few small allocations
    // (strings, a list), and one await, all inside the request's group.
    var buffer = new byte[perEntry];
    Random.Shared.NextBytes(buffer);
    long local = 0;
    while (clock.Elapsed < deadline)
    {
        using (groups[(int)(local % groups.Length)].Enter())
        {
            uint hash = 2166136261;
            foreach (byte b in buffer)
            {
                hash = (hash ^ b) * 16777619;
            }

            var parts = new List<string>(8);
            for (int i = 0; i < 8; i++)
            {
                parts.Add(string.Concat("field", hash.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            await Task.Yield();
            _ = string.Join(',', parts);
        }

        local++;
    }

    Interlocked.Add(ref operations, local);
}

async Task AsyncLoop(int worker)
{
    // Async-heavy: every operation awaits, so the group flows through ExecutionContext switches, then allocates.
    long local = 0;
    while (clock.Elapsed < deadline)
    {
        using (groups[(int)(local % groups.Length)].Enter())
        {
            await Task.Yield();
            for (int i = 0; i < perEntry; i++)
            {
                _ = new byte[32 + (i % 8) * 64];
            }
        }

        local++;
    }

    Interlocked.Add(ref operations, local);
}
