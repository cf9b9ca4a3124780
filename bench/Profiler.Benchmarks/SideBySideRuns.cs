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
    // Microsoft-Windows-DotNETRuntime, AllocationSampling keyword (0x80000000000), Informational: the runtime event
    // this tool samples with, and nothing else.
    private const string DotnetTraceProviders = "Microsoft-Windows-DotNETRuntime:0x80000000000:4";

    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : 4;
        int rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : 5;
        string workload = Option(args, "--workload") ?? "service";
        int perEntry = int.Parse(Option(args, "--per-entry") ?? "100000", CultureInfo.InvariantCulture);
        string? toolDir = Option(args, "--dotnet-trace-dir");
        Settle = TimeSpan.FromSeconds(double.Parse(Option(args, "--settle") ?? "0", CultureInfo.InvariantCulture));

        var configs = new List<(string Name, Func<double, Task<Measurement>> Run)>
        {
            ("detached", _ => Detached(workload, seconds, perEntry)),
            ("dotnet-alloctrack", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.Auto)),
            ("dotnet-alloctrack --sampling none", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.None)),
        };
        if (Option(args, "--also-totals-every") is string also)
        {
            // The same two sessions with another totals interval, to show what the interval costs in the same rounds.
            int ms = int.Parse(also, CultureInfo.InvariantCulture);
            configs.Add(($"dotnet-alloctrack --sampling none, totals every {ms} ms", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.None, ms)));
            configs.Add(($"dotnet-alloctrack, totals every {ms} ms", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.Auto, ms)));
        }

        if (toolDir is not null)
        {
            configs.Add(("dotnet-trace AllocationSampled", _ => UnderDotnetTrace(workload, seconds, perEntry, toolDir)));
        }

        var results = configs.ToDictionary(c => c.Name, _ => new List<Measurement>());
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < configs.Count; i++)
            {
                var (name, run) = configs[(i + round) % configs.Count];
                results[name].Add(await run(0));
            }
        }

        double baseline = Median(results["detached"].Select(m => m.OpsPerSecond).ToList());
        double baselineCpu = Median(results["detached"].Select(m => m.TargetCpuMicrosecondsPerOperation).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload} {perEntry}, {seconds} s x {rounds} rounds, {Environment.ProcessorCount} cores"));
        Console.WriteLine("| config | median ops/s | spread (min–max) | ratio | target CPU µs/op (ratio) | profiler CPU ms per run |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in configs)
        {
            var ops = results[name].Select(m => m.OpsPerSecond).ToList();
            double cpu = Median(results[name].Select(m => m.TargetCpuMicrosecondsPerOperation).ToList());
            double profilerCpu = Median(results[name].Select(m => m.ProfilerCpuMilliseconds).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(ops):N0} | {ops.Min():N0}–{ops.Max():N0} | **{Median(ops) / baseline:0.000}** | {cpu:0.00} ({cpu / baselineCpu:0.000}) | {profilerCpu:N0} |"));
        }

        return 0;
    }

    /// <summary>
    /// Time between the session being up and the workload starting, in every configuration alike: 0 measures from the
    /// attach (the profiler's own start-up competes with the target), a few seconds measures the steady state.
    /// </summary>
    private static TimeSpan Settle { get; set; }

    /// <summary>One run: the target's throughput and CPU per operation, and the CPU the profiler spent meanwhile.</summary>
    private readonly record struct Measurement(double OpsPerSecond, double TargetCpuMicrosecondsPerOperation, double ProfilerCpuMilliseconds);

    private static async Task<Measurement> Detached(string workload, double seconds, int perEntry)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await Task.Delay(Settle);
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        double ops = await target.RunAsync();
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds);
    }

    private static async Task<Measurement> UnderAlloctrack(string workload, double seconds, int perEntry, SamplingMode sampling, int totalsIntervalMs = SessionOptions.DefaultTotalsIntervalMs)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await target.WaitForEndpointAsync();
        await using var session = ProfilingSession.Start(TargetProcess.TryDescribe(target.Id)!, new SessionOptions { Sampling = sampling, TotalsIntervalMs = totalsIntervalMs }, start: SessionStart.BeforeFirstInstruction);
        await Task.Delay(Settle);
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        double ops = await target.RunAsync();
        var spent = Process.GetCurrentProcess().TotalProcessorTime - before;
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, spent.TotalMilliseconds);
    }

    private static async Task<Measurement> UnderDotnetTrace(string workload, double seconds, int perEntry, string toolDir)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await target.WaitForEndpointAsync();
        string output = Path.Combine(Path.GetTempPath(), $"side-by-side-{target.Id}.nettrace");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = toolDir, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in new[] { "tool", "run", "dotnet-trace", "--", "collect", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--providers", DotnetTraceProviders, "-o", output })
        {
            info.ArgumentList.Add(arg);
        }

        using var trace = Process.Start(info)!;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        trace.OutputDataReceived += (_, e) =>
        {
            // dotnet-trace prints the output file once the session is running.
            if (e.Data is not null && e.Data.Contains("Output File", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        trace.BeginOutputReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(Settle);
        trace.Refresh();
        var before = trace.TotalProcessorTime;
        double ops = await target.RunAsync();
        trace.Refresh();
        var spent = trace.TotalProcessorTime - before;
        await trace.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(output);
        return new Measurement(ops, target.CpuMicrosecondsPerOperation, spent.TotalMilliseconds);
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
