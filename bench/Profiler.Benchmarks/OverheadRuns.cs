using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// Target throughput with and without a profiling session, alternating detached/attached runs so that drift of the
/// machine affects both alike. Ratio = median attached / median detached.
/// </summary>
internal static class OverheadRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : 5;
        int runs = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : 3;
        bool trackFrees = args.Contains("--track-frees");
        var sampling = args.SkipWhile(a => a != "--sampling").Skip(1).Select(a => Enum.Parse<SamplingMode>(a, ignoreCase: true)).FirstOrDefault(SamplingMode.Auto);
        int perEntry = args.SkipWhile(a => a != "--per-entry").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(64);
        Console.WriteLine($"workload  runs  seconds  detached ops/s  attached ops/s  ratio  events/s  lost  (track-frees: {trackFrees}, sampling: {sampling}, per entry: {perEntry})");
        string[] workloads = args.SkipWhile(a => a != "--workloads").Skip(1).Select(a => a.Split(',')).FirstOrDefault() ?? ["alloc", "async"];
        foreach (string workload in workloads)
        {
            var detached = new List<double>();
            var attached = new List<double>();
            long events = 0, lost = 0;
            double attachedSeconds = 0;
            for (int i = 0; i < runs; i++)
            {
                using (var target = new OverheadTargetProcess(workload, seconds, perEntry))
                {
                    detached.Add(await target.RunAsync());
                }

                using (var target = new OverheadTargetProcess(workload, seconds, perEntry))
                {
                    await target.WaitForEndpointAsync();
                    var process = TargetProcess.TryDescribe(target.Id)!;
                    await using var session = ProfilingSession.Start(process, new SessionOptions { TrackFrees = trackFrees, Sampling = sampling }, start: SessionStart.BeforeFirstInstruction);
                    await Task.Delay(300);
                    attached.Add(await target.RunAsync());
                    await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
                    var report = session.BuildReport("attach", "target-exited");
                    events += report.Session.EventsProcessed;
                    lost += report.Session.EventsLost;
                    attachedSeconds += report.Session.DurationSeconds;
                }
            }

            double ratio = Median(attached) / Median(detached);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload,-8}  {runs,4}  {seconds,7}  {Median(detached),14:N0}  {Median(attached),14:N0}  {ratio,5:0.000}  {events / attachedSeconds,8:N0}  {lost,4}"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
