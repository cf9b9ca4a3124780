using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.GroupBy;

/// <summary>
/// The checks a <c>--group-by requests</c> report must pass against what tests/Targets/RequestsTarget measured itself
/// under <see cref="RequestsTargetLoad"/>.
/// </summary>
internal static class RequestsLoad
{
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
