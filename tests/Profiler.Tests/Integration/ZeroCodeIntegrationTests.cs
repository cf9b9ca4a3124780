using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Profiler.Tests.Integration;

/// <summary>
/// <c>--group-by requests|activities</c> against real targets that reference nothing of the profiler's grouping:
/// an ASP.NET Core app under a bounded local load, and a console app with its own ActivitySource.
/// </summary>
[Collection("processes")]
public class ZeroCodeIntegrationTests(ITestOutputHelper output)
{
    // Named by the route templates ASP.NET Core reports in its request-duration metric.
    private static readonly string[] s_routes = ["GET /orders/{id:int}", "GET /users/{id:guid}", "GET /report", "GET /ping", "GET /users/by-name/{name}"];

    [Fact]
    public async Task Requests_GivesOneGroupPerRouteWithin15Percent_AndTheProcessTotalWithin2Percent_OnAnUnmodifiedAspNetCoreApp()
    {
        using var app = await TargetProgram.StartAsync("RequestsTarget", []);
        string url = app.LineAfter("LISTENING ")!;
        await app.WaitForEndpointAsync();
        var process = TargetProcess.TryDescribe(app.Id)!;

        // auto must find ASP.NET Core and choose requests.
        await using var session = ProfilingSession.Start(process, new SessionOptions());
        Assert.Equal(GroupByMode.Requests, session.GroupBy.Mode);

        // Another tool traces HttpClient and the app's ActivitySource at the same time: their Start/Stop events make
        // nested activity ids inside the requests (the outgoing call of /report, the Activity of /users).
        using var other = OtherTool.Start(app.Id);

        await session.Totals.FirstReading.WaitAsync(TimeSpan.FromSeconds(15));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var before = await RequestsTargetLoad.TruthAsync(http);
        await RequestsTargetLoad.DriveAsync(http);
        var after = await RequestsTargetLoad.TruthAsync(http);
        await session.StopAsync();
        var report = session.BuildReport("attach", "stopped");

        Assert.Equal("requests", report.Session.GroupBy);
        Assert.Contains("ASP.NET Core", report.Session.GroupByReason, StringComparison.Ordinal);
        Assert.Equal(0, report.Session.EventsLost);
        foreach (string route in s_routes)
        {
            long truth = after.Routes[route] - before.Routes[route];
            var group = Assert.Single(report.Groups, g => g.Name == route);
            double error = (group.EstimatedBytes - truth) / (double)truth;
            output.WriteLine($"{route}: truth {truth:N0}, estimate {group.EstimatedBytes:N0} [{group.EstimatedBytesLow:N0}, {group.EstimatedBytesHigh:N0}] from {group.Samples} samples, error {error:+0.0%;-0.0%}");
            Assert.Null(group.AllocatedBytes);
            Assert.True(Math.Abs(error) <= 0.15, $"{route}: estimate {group.EstimatedBytes:N0} vs truth {truth:N0} ({error:+0.0%;-0.0%})");
        }

        // One group per route template, not per id or name. The first requests of each route started before its
        // template was published (once per interval, after requests finish): their folded-path groups were merged in.
        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /orders/", StringComparison.Ordinal));
        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /users/by-name/", StringComparison.Ordinal));
        Assert.Equal(2, report.Groups.Count(g => g.Name.StartsWith("GET /users/", StringComparison.Ordinal)));
        Assert.Contains(report.Groups.Single(g => g.Name == "GET /users/by-name/{name}").Tags, t => t.Key == "route" && t.Value == "/users/by-name/{name}");
        Assert.Contains(report.Session.Notes, n => n.StartsWith("Request groups are named by their route template", StringComparison.Ordinal) && n.Contains("merged into it", StringComparison.Ordinal));

        long runtimeTotal = after.TotalAllocated - before.TotalAllocated;
        long measured = report.Session.Processes.Single().AllocatedBytes!.Value;
        double totalError = (measured - runtimeTotal) / (double)runtimeTotal;
        output.WriteLine($"process total: tool {measured:N0}, runtime between the truth reads {runtimeTotal:N0} ({totalError:+0.00%;-0.00%}); grouped share {report.Session.Processes.Single().GroupedShare:P1}");
        output.WriteLine(TrackingProfiler.Profiler.Reports.Writers.ReportWriters.Render(report, ReportFormat.Table));
        Assert.True(Math.Abs(totalError) <= 0.02, $"process total {measured:N0} vs {runtimeTotal:N0} ({totalError:+0.00%;-0.00%})");
        Assert.InRange(report.Session.Processes.Single().GroupedShare!.Value, 0.85, 1.1);
    }

    [Fact]
    public async Task Activities_GivesTheInnermostActivityWithin15Percent_WhenTheTargetAlsoUsesTheGroupingLibrary()
    {
        using var target = await TargetProgram.StartAsync("ActivitiesTarget", ["600"]);
        await target.WaitForEndpointAsync();
        var options = new SessionOptions { GroupBy = GroupByMode.Activities, ActivitySources = ["ActivitiesTarget"] };
        await using var session = ProfilingSession.Start(TargetProcess.TryDescribe(target.Id)!, options);
        await session.Totals.FirstReading.WaitAsync(TimeSpan.FromSeconds(15));
        await target.SendLineAsync();
        await target.WaitForLineStartingAsync("TRUTH ");
        await session.StopAsync();
        var report = session.BuildReport("attach", "stopped");
        var truth = target.Truth();
        target.CloseInput();

        Assert.Equal("activities", report.Session.GroupBy);
        foreach (string name in new[] { "import", "parse", "export" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            double error = (group.EstimatedBytes - truth[name]) / (double)truth[name];
            output.WriteLine($"{name}: truth {truth[name]:N0}, estimate {group.EstimatedBytes:N0} from {group.Samples} samples, error {error:+0.0%;-0.0%}");
            Assert.Contains(group.Tags, t => t.Key == "source" && t.Value == "ActivitiesTarget");
            Assert.True(Math.Abs(error) <= 0.15, $"{name}: estimate {group.EstimatedBytes:N0} vs truth {truth[name]:N0} ({error:+0.0%;-0.0%})");
        }

        // The library's group "parsing" lives inside "parse". Its activity-id keyword is off, so it took no sample from
        // "parse" (checked above), and its exact bytes still come from its totals.
        var parsing = Assert.Single(report.Groups, g => g.Name == "parsing");
        Assert.Equal(0, parsing.Samples);
        output.WriteLine($"parsing (library group): exact {parsing.AllocatedBytes:N0}, library's own count {truth["parsing"]:N0}");
        // How fresh the library's last totals are at the stop is the event contract's business (exactAgeSeconds): here
        // it is enough that they arrived and never exceed what the library counted.
        Assert.NotNull(parsing.AllocatedBytes);
        Assert.InRange(parsing.AllocatedBytes!.Value / (double)truth["parsing"], 0.5, 1.001);
        output.WriteLine(TrackingProfiler.Profiler.Reports.Writers.ReportWriters.Render(report, ReportFormat.Table));
    }

    /// <summary>A second EventPipe session on the target, as another diagnostics tool would open, drained in the background.</summary>
    private sealed class OtherTool : IDisposable
    {
        private readonly EventPipeSession _session;
        private readonly Task _drain;

        private OtherTool(EventPipeSession session)
        {
            _session = session;
            _drain = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                try
                {
                    source.Process();
                }
                catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
                {
                }
            });
        }

        public static OtherTool Start(int pid) => new(new DiagnosticsClient(pid).StartEventPipeSession(
            [
                new EventPipeProvider("System.Net.Http", EventLevel.Informational, -1),
                new EventPipeProvider("Microsoft-Diagnostics-DiagnosticSource", EventLevel.Informational, 0x3,
                    new Dictionary<string, string> { ["FilterAndPayloadSpecs"] = "[AS]RequestsTarget:-" }),
            ],
            requestRundown: false,
            circularBufferMB: 16));

        public void Dispose()
        {
            try
            {
                _session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException)
            {
            }

            _drain.Wait(TimeSpan.FromSeconds(10));
            _session.Dispose();
        }
    }
}
