using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// What --stacks costs the target, side by side with a recorder collecting the same events with stacks the way
/// dotnet-trace does (client library session, stacks and rundown on, the stream copied to a file). Each round runs the
/// four modes in turn so that drift of the machine hits all alike; medians per mode, ratio to detached. Also reports
/// the profiler's retained managed memory after a --stacks session, per million samples.
/// </summary>
internal static class StacksOverheadRuns
{
    private static readonly string[] s_modes = ["detached", "alloctrack", "alloctrack --stacks", "recorder + stacks (dotnet-trace way)"];

    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : 4;
        int runs = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : 5;
        int perEntry = args.SkipWhile(a => a != "--per-entry").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(100_000);
        string[] workloads = args.SkipWhile(a => a != "--workloads").Skip(1).Select(a => a.Split(',')).FirstOrDefault() ?? ["service"];
        foreach (string workload in workloads)
        {
            var results = s_modes.ToDictionary(m => m, _ => new List<double>());
            var cpu = s_modes.ToDictionary(m => m, _ => new List<double>());
            var retained = new List<(long Bytes, long Samples)>();
            long events = 0, lost = 0;
            double attachedSeconds = 0;
            for (int i = 0; i < runs; i++)
            {
                foreach (string mode in s_modes)
                {
                    using var target = new OverheadTargetProcess(workload, seconds, perEntry);
                    switch (mode)
                    {
                        case "detached":
                            results[mode].Add(await target.RunAsync());
                            break;
                        case "recorder + stacks (dotnet-trace way)":
                            results[mode].Add(await RecordAsync(target));
                            break;
                        default:
                            bool stacks = mode.EndsWith("--stacks", StringComparison.Ordinal);
                            long before = GC.GetTotalMemory(forceFullCollection: true);
                            await target.WaitForEndpointAsync();
                            var process = TargetProcess.TryDescribe(target.Id)!;
                            await using (var session = ProfilingSession.Start(process, new SessionOptions { Stacks = stacks }, start: SessionStart.BeforeFirstInstruction))
                            {
                                await Task.Delay(300);
                                results[mode].Add(await target.RunAsync());
                                await session.Completion.WaitAsync(TimeSpan.FromSeconds(60));
                                var report = session.BuildReport("attach", "target-exited");
                                if (stacks)
                                {
                                    retained.Add((GC.GetTotalMemory(forceFullCollection: true) - before, report.Groups.Sum(g => g.Samples)));
                                    events += report.Session.EventsProcessed;
                                    lost += report.Session.EventsLost;
                                    attachedSeconds += report.Session.DurationSeconds;
                                }
                            }

                            break;
                    }

                    cpu[mode].Add(target.CpuMicrosecondsPerOperation);
                }
            }

            double detached = Median(results["detached"]);
            double detachedCpu = Median(cpu["detached"]);
            Console.WriteLine($"{workload} (per entry {perEntry}, {seconds} s, {runs} rounds)");
            foreach (string mode in s_modes)
            {
                var values = results[mode];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {mode,-38} median {Median(values),10:N0} ops/s  ratio {Median(values) / detached:0.000}  range {values.Min() / detached:0.000}-{values.Max() / detached:0.000}  CPU/op {Median(cpu[mode]),8:0.0} us  ({string.Join(' ', cpu[mode].Select(c => c.ToString("0", CultureInfo.InvariantCulture)))})  CPU ratio {detachedCpu / Median(cpu[mode]):0.000}"));
            }

            long samples = retained.Sum(x => x.Samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  --stacks: {events / attachedSeconds:N0} events/s, lost {lost}, {samples / (double)runs:N0} samples per run, profiler retained {retained.Average(x => x.Bytes) / 1e6:0.0} MB per session (method map and stack table; per-sample growth: `stacks-memory`)"));
        }

        return 0;
    }

    /// <summary>What `dotnet-trace collect` does: a session with the same providers, stacks and rundown on, copied to a file.</summary>
    private static async Task<double> RecordAsync(OverheadTargetProcess target)
    {
        await target.WaitForEndpointAsync();
        var options = new SessionOptions { Stacks = true };
        var providers = ProviderSet.Build(options, SamplingMode.Randomized);
        string file = Path.Combine(Path.GetTempPath(), $"alloctrack-bench-{Environment.ProcessId}.nettrace");
        try
        {
            var client = new DiagnosticsClient(target.Id);
            using var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: options.BufferSizeMB);
            await using var stream = File.Create(file);
            var copy = session.EventStream.CopyToAsync(stream);
            await Task.Delay(300);
            double result = await target.RunAsync();
            await copy.WaitAsync(TimeSpan.FromSeconds(60));
            return result;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
