using System.Runtime.InteropServices;

namespace TrackingProfiler.Grouping.Benchmarks;

/// <summary>
/// The same three operations as <see cref="EnterExitBenchmarks"/>, timed by the thread's own CPU clock
/// (<c>CLOCK_THREAD_CPUTIME_ID</c>) instead of the wall clock: on a machine shared with other work, time spent
/// preempted is not counted. Configurations alternate round by round so that drift hits them alike; the table gives
/// the median of the rounds and their range.
/// </summary>
internal static partial class CpuTimeRun
{
    private const int ClockThreadCpuTime = 3;

    public static void Run(int rounds, int iterations, string[] configurations)
    {
        var operations = new (string Name, Action Op)[]
        {
            ("bare AsyncLocal set/restore", EnterExitBenchmarks.BareSetRestore),
            ("AsyncLocal with handler set/restore", EnterExitBenchmarks.BareWithHandlerSetRestore),
            ("token.Enter() + dispose", EnterExitBenchmarks.EnterExit),
        };
        var samples = new Dictionary<(string Config, string Op), List<double>>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (string config in configurations)
            {
                using var configuration = new ListeningConfiguration(config, EnterExitBenchmarks.Token);
                foreach (var (name, op) in operations)
                {
                    Measure(op, iterations / 10); // warm: JIT tiers, this thread's counters
                    double ns = Measure(op, iterations);
                    var key = (config, name);
                    if (!samples.TryGetValue(key, out var list))
                    {
                        samples[key] = list = [];
                    }

                    list.Add(ns);
                }
            }
        }

        Console.WriteLine($"thread CPU time per operation, {rounds} rounds × {iterations:N0} operations, median (min–max)");
        Console.WriteLine("| configuration | " + string.Join(" | ", operations.Select(o => o.Name)) + " |");
        Console.WriteLine("| --- |" + string.Concat(operations.Select(_ => " ---: |")));
        foreach (string config in configurations)
        {
            var cells = operations.Select(o =>
            {
                var values = samples[(config, o.Name)].Order().ToList();
                return $"{values[values.Count / 2]:0.0} ns ({values[0]:0.0}–{values[^1]:0.0})";
            });
            Console.WriteLine($"| {config} | " + string.Join(" | ", cells) + " |");
        }
    }

    private static double Measure(Action op, int iterations)
    {
        long start = ThreadCpuNanoseconds();
        for (int i = 0; i < iterations; i++)
        {
            op();
        }

        return (ThreadCpuNanoseconds() - start) / (double)iterations;
    }

    private static long ThreadCpuNanoseconds()
    {
        if (clock_gettime(ClockThreadCpuTime, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);
}
