using System.Net.Http.Json;
using System.Text.Json;
using TrackingProfiler.Profiler.Reports;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.GroupBy;

/// <summary>
/// A bounded load on tests/Targets/RequestsTarget, the truth the app measures itself (GET /truth: bytes per route, and
/// its GC.GetTotalAllocatedBytes), and the checks a <c>--group-by requests</c> report must pass against that truth.
/// </summary>
internal static class RequestsLoad
{
    private static readonly string[] s_names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];

    /// <summary>
    /// Four workers, each route a fixed number of times, ids and names that differ from request to request (~580 MB in
    /// all, 700–1,400 samples per route).
    /// </summary>
    public static async Task DriveAsync(HttpClient http)
    {
        var work = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            work.Add($"/orders/{1000 + i}");
            work.Add("/report");
        }

        for (int i = 0; i < 200; i++)
        {
            work.Add($"/users/{Guid.NewGuid()}");
        }

        for (int i = 0; i < 250; i++)
        {
            work.Add($"/users/by-name/{s_names[i % s_names.Length]}");
        }

        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int at;
            while ((at = Interlocked.Increment(ref next)) < work.Count)
            {
                using var response = await http.GetAsync(work[at]);
                response.EnsureSuccessStatusCode();
            }
        }));
    }

    public static async Task<AppTruth> TruthAsync(HttpClient http)
    {
        var json = await http.GetFromJsonAsync<JsonElement>("/truth");
        return new AppTruth(
            json.GetProperty("routes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            json.GetProperty("totalAllocated").GetInt64());
    }

    /// <summary>
    /// One group per route template (not per id or name), each route's sampled estimate within 15% of what the app
    /// measured between <paramref name="before"/> (null: from its first instruction) and <paramref name="after"/>, and
    /// the process total within 2% of the runtime's own figure. The app names its routes as the profiler names groups.
    /// </summary>
    public static void AssertMatches(AllocationReport report, AppTruth? before, AppTruth after, ITestOutputHelper output)
    {
        output.WriteLine($"runtime {report.Session.RuntimeVersion}, sampling {report.Session.SamplingMode}, {report.Session.DurationSeconds:0.0} s");
        var failures = new List<string>();
        Assert.True(after.Routes.Count >= 5, $"the app measured {after.Routes.Count} routes");
        foreach (string route in after.Routes.Keys)
        {
            long truth = after.Routes[route] - (before?.Routes[route] ?? 0);
            Assert.True(truth > 0, $"{route}: the load did not reach it");
            var group = Assert.Single(report.Groups, g => g.Name == route);
            double error = (group.EstimatedBytes - truth) / (double)truth;
            string line = $"{route}: truth {truth:N0}, estimate {group.EstimatedBytes:N0} [{group.EstimatedBytesLow:N0}, {group.EstimatedBytesHigh:N0}] from {group.Samples} samples, error {error:+0.0%;-0.0%}";
            output.WriteLine(line);
            Assert.Null(group.AllocatedBytes); // nothing exact without code in the target
            if (Math.Abs(error) > 0.15)
            {
                failures.Add(line);
            }
        }

        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /orders/", StringComparison.Ordinal));
        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /users/by-name/", StringComparison.Ordinal));
        Assert.Equal(2, report.Groups.Count(g => g.Name.StartsWith("GET /users/", StringComparison.Ordinal)));

        var process = report.Session.Processes.Single(p => p.Traced);
        long runtimeTotal = after.TotalAllocated - (before?.TotalAllocated ?? 0);
        long measured = process.AllocatedBytes!.Value;
        double totalError = (measured - runtimeTotal) / (double)runtimeTotal;
        string totalLine = $"process total: tool {measured:N0}, runtime {runtimeTotal:N0} ({totalError:+0.00%;-0.00%}); grouped share {process.GroupedShare:P1}";
        output.WriteLine(totalLine);
        if (Math.Abs(totalError) > 0.02)
        {
            failures.Add(totalLine);
        }

        output.WriteLine(TrackingProfiler.Profiler.Reports.Writers.ReportWriters.Render(report, ReportFormat.Table));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, report.Session.EventsLost);
    }
}

/// <summary>What RequestsTarget measured itself: bytes per route, and the process's total allocated bytes.</summary>
internal sealed record AppTruth(Dictionary<string, long> Routes, long TotalAllocated);
