using System.Diagnostics;
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
    private const string DotnetTraceProviders = "Microsoft-Windows-DotNETRuntime:0x80000000000:4";
    private const string RequestsProviders = DotnetTraceProviders + ",System.Threading.Tasks.TplEventSource:0x80:4,Microsoft.AspNetCore.Hosting:0xFFFFFFFF:4";

    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : 3;
        int rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : 5;
        string route = Option(args, "--route") ?? "/hello/{0}";
        string? toolDir = Option(args, "--dotnet-trace-dir");
        var configs = new List<(string Name, Func<Task<double>> Run)>
        {
            ("detached", () => MeasureAsync(seconds, route, _ => Task.FromResult<IAsyncDisposable?>(null))),
            ("dotnet-alloctrack --group-by requests", () => MeasureAsync(seconds, route, AttachAlloctrackAsync)),
        };
        if (toolDir is not null)
        {
            configs.Add(("dotnet-trace AllocationSampled", () => MeasureAsync(seconds, route, pid => AttachDotnetTraceAsync(pid, toolDir, DotnetTraceProviders))));

            // The same events this tool enables for requests, written to a file by dotnet-trace: the target's share of the cost.
            configs.Add(("dotnet-trace, the providers of --group-by requests", () => MeasureAsync(seconds, route, pid => AttachDotnetTraceAsync(pid, toolDir, RequestsProviders))));
        }

        var results = configs.ToDictionary(c => c.Name, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < configs.Count; i++)
            {
                var (name, run) = configs[(i + round) % configs.Count];
                results[name].Add(await run());
            }
        }

        double baseline = Median(results["detached"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RequestsTarget {route}, 4 workers, {seconds} s x {rounds} rounds, {Environment.ProcessorCount} cores"));
        Console.WriteLine("| config | median requests/s | spread (min–max) | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, _) in configs)
        {
            var values = results[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(values):N0} | {values.Min():N0}–{values.Max():N0} | **{Median(values) / baseline:0.000}** |"));
        }

        return 0;
    }

    private static async Task<double> MeasureAsync(double seconds, string route, Func<int, Task<IAsyncDisposable?>> attach)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Locate());
        using var app = Process.Start(info)!;
        try
        {
            string url = string.Empty;
            while (await app.StandardOutput.ReadLineAsync() is { } line && line != "READY")
            {
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    url = line["LISTENING ".Length..];
                }
            }

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await LoadAsync(http, route, TimeSpan.FromSeconds(1)); // JIT and connection warm-up
            await using var session = await attach(app.Id);
            return await LoadAsync(http, route, TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static async Task<double> LoadAsync(HttpClient http, string route, TimeSpan duration)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            int i = worker * 1_000_000;
            while (clock.Elapsed < duration)
            {
                using var response = await http.GetAsync(string.Format(CultureInfo.InvariantCulture, route, ++i));
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }

    private static async Task<IAsyncDisposable?> AttachAlloctrackAsync(int pid)
    {
        var session = ProfilingSession.Start(TargetProcess.TryDescribe(pid)!, new SessionOptions { GroupBy = GroupByMode.Requests });
        await session.Totals.FirstReading.WaitAsync(TimeSpan.FromSeconds(10));
        return session;
    }

    private static async Task<IAsyncDisposable?> AttachDotnetTraceAsync(int pid, string toolDir, string providers)
    {
        string output = Path.Combine(Path.GetTempPath(), $"requests-overhead-{pid}.nettrace");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = toolDir, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in new[] { "tool", "run", "dotnet-trace", "--", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--providers", providers, "-o", output })
        {
            info.ArgumentList.Add(arg);
        }

        var trace = Process.Start(info)!;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        trace.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && e.Data.Contains("Output File", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        trace.BeginOutputReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new DotnetTrace(trace, output);
    }

    private static string Locate()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            foreach (string configuration in new[] { "Release", "Debug" })
            {
                string candidate = Path.Combine(dir, "tests", "Targets", "RequestsTarget", "bin", configuration, "net10.0", "RequestsTarget.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("tests/Targets/RequestsTarget is not built.");
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class DotnetTrace(Process process, string output) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // dotnet-trace waits for a key it cannot read from a redirected stdin: end it; the runtime closes the session
            // when its connection drops (the measurement is over by then).
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            process.Dispose();
            File.Delete(output);
        }
    }
}
