using System.Globalization;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// What attaching costs an ASP.NET Core app under a bounded load (issues 11 and 12): examples/AspNetActivities (the
/// Grouping library's Activities bridge, measured with groups) and tests/Targets/RequestsTarget (references nothing,
/// measured with <c>--group-by requests</c>), each detached, under this tool and under dotnet-trace collecting
/// AllocationSampled, the configurations rotating per round, a fresh target per measurement.
/// <para>
/// A measurement: start the app, attach (or not), warm up at the fixed rate, settle, then an open-loop window at a
/// fixed request rate well below saturation, where the target's CPU time per request (utime + stime of
/// /proc/&lt;pid&gt;/stat across the window) and the latency percentiles show what attaching costs while the app keeps
/// up; then a closed-loop window (4 workers) on the same target and session: the saturated requests/s.
/// </para>
/// </summary>
internal static class AspNetOverheadRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = BenchArguments.Seconds(args, 10);
        int rounds = BenchArguments.Rounds(args, 5);
        string apps = BenchArguments.Option(args, "--app") ?? "both";
        if (apps is not ("both" or "example" or "requests"))
        {
            Console.Error.WriteLine($"aspnet-overhead: --app is example, requests or both, not '{apps}'.");
            return 2;
        }

        var window = new Windows(
            Warmup: TimeSpan.FromSeconds(BenchArguments.Option(args, "--warmup", 3)),
            Measured: TimeSpan.FromSeconds(seconds),
            ClosedLoop: TimeSpan.FromSeconds(BenchArguments.Option(args, "--closed-loop", seconds)));
        string? toolDir = BenchArguments.Option(args, "--dotnet-trace-dir");
        var settle = BenchArguments.Settle(args);

        if (apps is "both" or "example")
        {
            var load = new Load(BenchArguments.Option(args, "--example-route") ?? "/orders/{0}", Rate(args, "--example-rate", DefaultExampleRate));
            await CompareAsync(AspNetApp.ActivitiesExample, GroupByMode.Groups, "groups", load, window, settle, rounds, toolDir);
        }

        if (apps is "both" or "requests")
        {
            var load = new Load(BenchArguments.Option(args, "--requests-route") ?? "/hello/{0}", Rate(args, "--requests-rate", DefaultRequestsRate));
            await CompareAsync(AspNetApp.RequestsTarget, GroupByMode.Requests, "requests", load, window, settle, rounds, toolDir);
        }

        return 0;
    }

    /// <summary>
    /// Requests/s of the open-loop windows unless <c>--example-rate</c>, <c>--requests-rate</c> or <c>--rate</c> (both)
    /// say: a third to half a core of the 2-core machine for each app's default route (smoke runs on a loaded machine,
    /// docs/performance.md), and about a quarter or less of what the same app serves closed-loop, so that the target
    /// keeps up in every configuration.
    /// </summary>
    private const double DefaultExampleRate = 4000;

    private const double DefaultRequestsRate = 8000;

    private static double Rate(string[] args, string option, double fallback)
        => BenchArguments.Option(args, option, BenchArguments.Option(args, "--rate", fallback));

    /// <summary>The lengths of a measurement's load windows.</summary>
    private sealed record Windows(TimeSpan Warmup, TimeSpan Measured, TimeSpan ClosedLoop);

    /// <summary>The route (<c>{0}</c>: a request number) and the open-loop rate (requests/s).</summary>
    private sealed record Load(string Route, double Rate);

    /// <summary>One measurement: the open-loop window's figures, and the closed-loop requests/s after it (NaN: not run).</summary>
    private sealed record Measurement(RequestLoad.OpenLoopResult OpenLoop, TimeSpan TargetCpu, double ClosedLoopRequestsPerSecond)
    {
        public double CpuMicrosecondsPerRequest => TargetCpu.TotalMicroseconds / Math.Max(1, OpenLoop.Answered);

        /// <summary>The target's share of one core over the open-loop window.</summary>
        public double Cores => TargetCpu / OpenLoop.Elapsed;
    }

    private static async Task CompareAsync(AspNetApp app, GroupByMode groupBy, string groupByName, Load load, Windows window, TimeSpan settle, int rounds, string? toolDir)
    {
        var runs = new RotatingComparison<Measurement> { Settle = settle };
        runs.Add("detached", () => MeasureAsync(runs, app, load, window, _ => Task.FromResult<IAsyncDisposable?>(null)));
        runs.Add($"dotnet-alloctrack --group-by {groupByName}", () => MeasureAsync(runs, app, load, window, pid => AlloctrackSession.AttachAsync(pid, groupBy)));
        if (toolDir is not null)
        {
            runs.Add("dotnet-trace AllocationSampled", () => MeasureAsync(runs, app, load, window, async pid => await DotnetTraceSession.AttachAsync(toolDir, pid, DotnetTraceSession.AllocationSampledProviders)));
        }

        await runs.RunAsync(rounds);

        string name = app == AspNetApp.RequestsTarget ? "tests/Targets/RequestsTarget" : "examples/AspNetActivities";
        Func<Measurement, double> cpu = m => m.CpuMicrosecondsPerRequest;
        Func<Measurement, double> p50 = m => m.OpenLoop.Percentile(0.50);
        Func<Measurement, double> p99 = m => m.OpenLoop.Percentile(0.99);
        Func<Measurement, double> closed = m => m.ClosedLoopRequestsPerSecond;
        var columns = new List<RotatingComparison<Measurement>.Column>
        {
            new("achieved requests/s", c => runs.Median(c, m => m.OpenLoop.AchievedRate).ToString("N0", CultureInfo.InvariantCulture)),
            new("target cores", c => runs.Median(c, m => m.Cores).ToString("0.00", CultureInfo.InvariantCulture)),
            new("target CPU µs/request", c => runs.Median(c, cpu).ToString("N1", CultureInfo.InvariantCulture)),
            new("spread (min–max)", c => runs.Spread(c, cpu, "N1")),
            new("CPU ratio", c => string.Create(CultureInfo.InvariantCulture, $"**{runs.Ratio(c, cpu):0.000}**")),
            new("p50 ms (ratio)", c => string.Create(CultureInfo.InvariantCulture, $"{runs.Median(c, p50):0.00} (**{runs.Ratio(c, p50):0.000}**)")),
            new("p99 ms (ratio)", c => string.Create(CultureInfo.InvariantCulture, $"{runs.Median(c, p99):0.00} ({runs.Ratio(c, p99):0.000})")),
            new("failed", c => runs.Values(c).Sum(m => m.OpenLoop.Failed).ToString(CultureInfo.InvariantCulture)),
        };
        if (window.ClosedLoop > TimeSpan.Zero)
        {
            columns.Add(new("closed-loop requests/s (ratio)", c => string.Create(CultureInfo.InvariantCulture, $"{runs.Median(c, closed):N0} ({runs.Ratio(c, closed):0.000})")));
        }

        string closedLoop = window.ClosedLoop > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $", then closed loop (4 workers) {window.ClosedLoop.TotalSeconds} s") : string.Empty;
        runs.PrintTable(
            string.Create(CultureInfo.InvariantCulture, $"{name} {load.Route}: open loop {load.Rate} requests/s, {window.Warmup.TotalSeconds} s warm-up, {runs.Settle.TotalSeconds} s settle, {window.Measured.TotalSeconds} s measured{closedLoop}; {rounds} rounds, {Environment.ProcessorCount} cores"),
            columns);
        Console.WriteLine();
    }

    private static async Task<Measurement> MeasureAsync(RotatingComparison<Measurement> runs, AspNetApp app, Load load, Windows window, Func<int, Task<IAsyncDisposable?>> attach)
    {
        await using var target = await AspNetTargetProcess.StartAsync(app);
        // Open loop keeps sending while answers are late: bound the connections (the rest queue in the client, and the
        // wait counts in their latency) and the time a request may take (then it counts as failed).
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = target.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await using var session = await attach(target.Id);

        // Warm up after attaching: JIT of the app's paths and of what the session turns on (the Activities listener,
        // the ActivityTracker), and the session's own start-up, stay out of the measured window in every configuration.
        await RequestLoad.OpenLoopAsync(http, load.Route, load.Rate, window.Warmup, firstId: 0);
        await runs.SettleAsync();

        var before = ProcessCpuTime.Read(target.Id);
        var openLoop = await RequestLoad.OpenLoopAsync(http, load.Route, load.Rate, window.Measured, firstId: 10_000_000);
        var spent = ProcessCpuTime.Read(target.Id) - before;

        double closedLoop = window.ClosedLoop > TimeSpan.Zero ? await RequestLoad.ClosedLoopAsync(http, load.Route, 4, window.ClosedLoop) : double.NaN;
        return new Measurement(openLoop, spent, closedLoop);
    }
}
