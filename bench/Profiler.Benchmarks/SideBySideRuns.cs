using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// The same OverheadTarget workload detached, under this tool (default and <c>--sampling none</c>) and under
/// dotnet-trace (AllocationSampled keyword only), the configurations rotating from round to round so that the drift
/// of a shared machine falls on all alike. Prints per configuration the median throughput, its spread (min–max) and
/// the ratio of medians to detached. bench/run-side-by-side.sh installs dotnet-trace as a local tool.
/// </summary>
internal static class SideBySideRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = BenchArguments.Seconds(args, 4);
        int rounds = BenchArguments.Rounds(args, 5);
        string workload = BenchArguments.Option(args, "--workload") ?? "service";
        int perEntry = int.Parse(BenchArguments.Option(args, "--per-entry") ?? "100000", CultureInfo.InvariantCulture);
        string? toolDir = BenchArguments.Option(args, "--dotnet-trace-dir");
        var runs = new RotatingComparison<Measurement> { Settle = BenchArguments.Settle(args) };

        runs.Add("detached", () => Detached(runs, workload, seconds, perEntry));
        runs.Add("dotnet-alloctrack", () => UnderAlloctrack(runs, workload, seconds, perEntry, SamplingMode.Auto));
        runs.Add("dotnet-alloctrack --sampling none", () => UnderAlloctrack(runs, workload, seconds, perEntry, SamplingMode.None));
        if (BenchArguments.Option(args, "--also-totals-every") is string also)
        {
            // The same two sessions with another totals interval, to show what the interval costs in the same rounds.
            int ms = int.Parse(also, CultureInfo.InvariantCulture);
            runs.Add($"dotnet-alloctrack --sampling none, totals every {ms} ms", () => UnderAlloctrack(runs, workload, seconds, perEntry, SamplingMode.None, ms));
            runs.Add($"dotnet-alloctrack, totals every {ms} ms", () => UnderAlloctrack(runs, workload, seconds, perEntry, SamplingMode.Auto, ms));
        }

        if (toolDir is not null)
        {
            runs.Add("dotnet-trace AllocationSampled", () => UnderDotnetTrace(runs, workload, seconds, perEntry, toolDir, DotnetTraceSession.AllocationSampledProviders));

            // Other provider sets written by dotnet-trace ('|' between sets): what one provider costs the target alone.
            foreach (string providers in (BenchArguments.Option(args, "--also-dotnet-trace") ?? string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                runs.Add($"dotnet-trace {providers}", () => UnderDotnetTrace(runs, workload, seconds, perEntry, toolDir, providers));
            }
        }

        await runs.RunAsync(rounds);

        Func<Measurement, double> ops = m => m.OpsPerSecond;
        Func<Measurement, double> cpu = m => m.TargetCpuMicrosecondsPerOperation;
        runs.PrintTable(string.Create(CultureInfo.InvariantCulture, $"{workload} {perEntry}, {seconds} s x {rounds} rounds, {Environment.ProcessorCount} cores"),
        [
            new("median ops/s", c => runs.Median(c, ops).ToString("N0", CultureInfo.InvariantCulture)),
            new("spread (min–max)", c => runs.Spread(c, ops, "N0")),
            new("ratio", c => string.Create(CultureInfo.InvariantCulture, $"**{runs.Ratio(c, ops):0.000}**")),
            new("target CPU µs/op (ratio)", c => string.Create(CultureInfo.InvariantCulture, $"{runs.Median(c, cpu):0.00} ({runs.Ratio(c, cpu):0.000})")),
            new("profiler CPU ms per run", c => runs.Median(c, m => m.ProfilerCpuMilliseconds).ToString("N0", CultureInfo.InvariantCulture)),
        ]);
        return 0;
    }

    /// <summary>One run: the target's throughput and CPU per operation, and the CPU the profiler spent meanwhile.</summary>
    private readonly record struct Measurement(double OpsPerSecond, double TargetCpuMicrosecondsPerOperation, double ProfilerCpuMilliseconds);

    private static async Task<Measurement> Detached(RotatingComparison<Measurement> runs, string workload, double seconds, int perEntry)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await runs.SettleAsync();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        double ops = await target.RunAsync();
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
    }

    private static async Task<Measurement> UnderAlloctrack(RotatingComparison<Measurement> runs, string workload, double seconds, int perEntry, SamplingMode sampling, int totalsIntervalMs = SessionOptions.DefaultTotalsIntervalMs)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await target.WaitForEndpointAsync();
        await using var session = ProfilingSession.Start(TargetProcess.TryDescribe(target.Id)!, new SessionOptions { Sampling = sampling, TotalsIntervalMs = totalsIntervalMs }, start: SessionStart.BeforeFirstInstruction);
        await runs.SettleAsync();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        double ops = await target.RunAsync();
        var spent = Process.GetCurrentProcess().TotalProcessorTime - before;
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, spent.TotalMilliseconds);
    }

    private static async Task<Measurement> UnderDotnetTrace(RotatingComparison<Measurement> runs, string workload, double seconds, int perEntry, string toolDir, string providers)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await target.WaitForEndpointAsync();
        await using var trace = await DotnetTraceSession.AttachAsync(toolDir, target.Id, providers);
        await runs.SettleAsync();
        var before = trace.ProcessorTime;
        double ops = await target.RunAsync();
        var spent = trace.ProcessorTime - before;
        await trace.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, spent.TotalMilliseconds);
    }
}
