using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// Records a real event stream of the async workload (the busiest in events per second) to a .nettrace file, then
/// replays it through the same decoder → attributor → aggregation path on one thread: events per second of the engine.
/// </summary>
internal static class ProcessingThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : 5;
        string file = Path.Combine(Path.GetTempPath(), $"alloctrack-throughput-{Environment.ProcessId}.nettrace");
        try
        {
            using (var target = new OverheadTargetProcess("async", seconds))
            {
                await target.WaitForEndpointAsync();
                var process = TargetProcess.TryDescribe(target.Id)!;
                var sampling = ProviderSet.Resolve(SamplingMode.Auto, process.RuntimeMajorVersion);
                var config = new EventPipeSessionConfiguration(ProviderSet.Build(new SessionOptions(), sampling), 256, requestRundown: false, requestStackwalk: false);
                using var session = new DiagnosticsClient(target.Id).StartEventPipeSession(config);
                await using var output = File.Create(file);
                var copy = session.EventStream.CopyToAsync(output);
                await Task.Delay(300);
                await target.RunAsync();
                await copy;
            }

            for (int round = 0; round < 3; round++)
            {
                var aggregation = new GroupAggregationTracker();
                var attributor = new AllocationAttributor([aggregation], SessionStart.BeforeFirstInstruction);
                using var source = new EventPipeEventSource(file);
                var decoder = new TraceEventDecoder(source, attributor);
                var clock = Stopwatch.StartNew();
                source.Process();
                clock.Stop();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {decoder.EventsDecoded:N0} events in {clock.Elapsed.TotalSeconds:0.000} s = {decoder.EventsDecoded / clock.Elapsed.TotalSeconds:N0} events/s (file {new FileInfo(file).Length / 1048576.0:0.0} MB, lost {source.EventsLost})"));
            }
        }
        finally
        {
            File.Delete(file);
        }

        return 0;
    }
}
