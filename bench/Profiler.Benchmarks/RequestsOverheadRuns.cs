using System.Globalization;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// What <c>--group-by requests</c> costs an ASP.NET Core app: requests/s of tests/Targets/RequestsTarget under a
/// bounded local load (four HttpClient workers on 127.0.0.1), detached, under this tool grouping by requests, and under
/// dotnet-trace collecting AllocationSampled, rotating per round. Each measurement starts a fresh target (the runtime's
/// ActivityTracker stays on once a session turned it on), warms it up, then loads it for the given seconds.
/// </summary>
internal static class RequestsOverheadRuns
{
    private const string RequestsProviders = DotnetTraceSession.AllocationSampledProviders + ",System.Threading.Tasks.TplEventSource:0x80:4,Microsoft.AspNetCore.Hosting:0xFFFFFFFF:4";

    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = BenchArguments.Seconds(args, 3);
        int rounds = BenchArguments.Rounds(args, 5);
        string route = BenchArguments.Option(args, "--route") ?? "/hello/{0}";
        string? toolDir = BenchArguments.Option(args, "--dotnet-trace-dir");
        var runs = new RotatingComparison<double>();
        runs.Add("detached", () => MeasureAsync(seconds, route, _ => Task.FromResult<IAsyncDisposable?>(null)));
        runs.Add("dotnet-alloctrack --group-by requests", () => MeasureAsync(seconds, route, pid => AlloctrackSession.AttachAsync(pid, GroupByMode.Requests)));
        if (toolDir is not null)
        {
            runs.Add("dotnet-trace AllocationSampled", () => MeasureAsync(seconds, route, async pid => await DotnetTraceSession.AttachAsync(toolDir, pid, DotnetTraceSession.AllocationSampledProviders)));

            // The same events this tool enables for requests, written to a file by dotnet-trace: the target's share of the cost.
            runs.Add("dotnet-trace, the providers of --group-by requests", () => MeasureAsync(seconds, route, async pid => await DotnetTraceSession.AttachAsync(toolDir, pid, RequestsProviders)));
        }

        await runs.RunAsync(rounds);
        runs.PrintTable(string.Create(CultureInfo.InvariantCulture, $"RequestsTarget {route}, 4 workers, {seconds} s x {rounds} rounds, {Environment.ProcessorCount} cores"),
        [
            new("median requests/s", c => runs.Median(c, r => r).ToString("N0", CultureInfo.InvariantCulture)),
            new("spread (min–max)", c => runs.Spread(c, r => r, "N0")),
            new("ratio", c => string.Create(CultureInfo.InvariantCulture, $"**{runs.Ratio(c, r => r):0.000}**")),
        ]);
        return 0;
    }

    private static async Task<double> MeasureAsync(double seconds, string route, Func<int, Task<IAsyncDisposable?>> attach)
    {
        await using var app = await AspNetTargetProcess.StartAsync(AspNetApp.RequestsTarget);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        await RequestLoad.ClosedLoopAsync(http, route, 4, TimeSpan.FromSeconds(1)); // JIT and connection warm-up
        await using var session = await attach(app.Id);
        return await RequestLoad.ClosedLoopAsync(http, route, 4, TimeSpan.FromSeconds(seconds));
    }
}
