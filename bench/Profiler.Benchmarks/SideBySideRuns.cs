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

        var configs = new List<(string Name, Func<double, Task<double>> Run)>
        {
            ("detached", _ => Detached(workload, seconds, perEntry)),
            ("dotnet-alloctrack", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.Auto)),
            ("dotnet-alloctrack --sampling none", _ => UnderAlloctrack(workload, seconds, perEntry, SamplingMode.None)),
        };
        if (toolDir is not null)
        {
            configs.Add(("dotnet-trace AllocationSampled", _ => UnderDotnetTrace(workload, seconds, perEntry, toolDir)));
        }

        var results = configs.ToDictionary(c => c.Name, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < configs.Count; i++)
            {
                var (name, run) = configs[(i + round) % configs.Count];
                results[name].Add(await run(0));
            }
        }

        double baseline = Median(results["detached"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload} {perEntry}, {seconds} s x {rounds} rounds, {Environment.ProcessorCount} cores"));
        Console.WriteLine("| config | median ops/s | spread (min–max) | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, _) in configs)
        {
            var values = results[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(values):N0} | {values.Min():N0}–{values.Max():N0} | **{Median(values) / baseline:0.000}** |"));
        }

        return 0;
    }

    private static async Task<double> Detached(string workload, double seconds, int perEntry)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        return await target.RunAsync();
    }

    private static async Task<double> UnderAlloctrack(string workload, double seconds, int perEntry, SamplingMode sampling)
    {
        using var target = new OverheadTargetProcess(workload, seconds, perEntry);
        await target.WaitForEndpointAsync();
        await using var session = ProfilingSession.Start(TargetProcess.TryDescribe(target.Id)!, new SessionOptions { Sampling = sampling }, start: SessionStart.BeforeFirstInstruction);
        double ops = await target.RunAsync();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        return ops;
    }

    private static async Task<double> UnderDotnetTrace(string workload, double seconds, int perEntry, string toolDir)
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
        double ops = await target.RunAsync();
        await trace.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(output);
        return ops;
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
