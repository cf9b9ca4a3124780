using System.Text.Json;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.GroupBy;

[Collection("processes")]
public class GroupByCommandTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("requests=x")]
    [InlineData("activities=")]
    public async Task GroupBy_ExitsWithUsageError_WhenTheValueIsNotAGrouping(string value)
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "-p", "1", "--group-by", value], console);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"dotnet-alloctrack: '{value}'", console.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_ShowsAllocationsPerEndpoint_WhenTheTargetIsAnUnmodifiedAspNetCoreApp()
    {
        using var app = await TargetProgram.StartAsync("RequestsTarget", []);
        string url = app.LineAfter("LISTENING ")!;
        await app.WaitForEndpointAsync();
        string json = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-groupby").FullName, "report.json");
        var console = new TestConsole();

        // The default (auto) must choose requests. Load runs until the session ends.
        using var stopLoad = new CancellationTokenSource();
        var attach = CliApp.RunAsync(["attach", "-p", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "4s", "-o", json], console);
        var load = LoadUntilAsync(url, stopLoad.Token);
        int code = await attach;
        await stopLoad.CancelAsync();
        await load;

        output.WriteLine(console.OutText);
        Assert.Equal(ExitCodes.Success, code);
        var report = JsonSerializer.Deserialize<AllocationReport>(File.ReadAllText(json), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal("requests", report.Session.GroupBy);
        var orders = Assert.Single(report.Groups, g => g.Name == "GET /orders/{id:int}");
        Assert.True(orders.Samples > 0);
        Assert.Null(orders.AllocatedBytes);
        Assert.NotNull(report.Session.Processes.Single().AllocatedBytes);

        // Named by the route template the app reports, not one group per name (or per id).
        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /orders/", StringComparison.Ordinal));
        Assert.Single(report.Groups, g => g.Name.StartsWith("GET /users/by-name/", StringComparison.Ordinal) && g.Name == "GET /users/by-name/{name}");
        Assert.Contains(report.Session.Notes, n => n.StartsWith("Request groups are named by their route template", StringComparison.Ordinal));

        // The table: "—" where nothing exact was measured, the process total, and how to get exact bytes.
        Assert.Contains("grouped by requests", console.ErrorText, StringComparison.Ordinal);
        string ordersRow = console.OutText.Split('\n').Single(l => l.StartsWith("GET /orders/{id:int}", StringComparison.Ordinal));
        Assert.Contains("—", ordersRow, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0 B", ordersRow, StringComparison.Ordinal);
        Assert.Contains(console.OutText.Split('\n'), l => l.StartsWith(TrackingProfiler.Profiler.Reports.Writers.TotalRows.Name, StringComparison.Ordinal) && l.Contains("in groups", StringComparison.Ordinal));
        Assert.Contains("reference TrackingProfiler.Grouping", console.OutText, StringComparison.Ordinal);
    }

    private static readonly string[] s_names = ["alice", "bob", "carol", "dave", "erin"];

    private static async Task LoadUntilAsync(string url, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        int i = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync((++i % 3) switch
                {
                    0 => $"/orders/{i}",
                    1 => $"/users/by-name/{s_names[i % s_names.Length]}",
                    _ => "/report",
                }, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
