using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Examples;

[Collection("processes")]
public class AspNetActivitiesTests
{
    [Fact]
    public async Task RequestsAndSpans_BecomeGroups_WhenTheExampleIsTraced()
    {
        using var server = await StartServerAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-aspnet").FullName, "r.json");
        var console = new TestConsole();
        using var stop = new CancellationTokenSource();
        var attach = CliApp.RunAsync(["attach", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file], console, stop.Token);
        await WaitForAsync(() => console.ErrorText.Contains("Attached to process", StringComparison.Ordinal) || attach.IsCompleted);
        Assert.False(attach.IsCompleted, console.ErrorText);
        for (int i = 0; i < 20; i++)
        {
            await http.GetStringAsync($"/orders/{i}");
            await http.GetStringAsync("/catalog/search?q=red");
            await http.GetStringAsync("/report");
        }

        // Every request has been answered: stop (Ctrl+C) instead of guessing a duration.
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await attach.WaitAsync(TimeSpan.FromSeconds(60)));
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        foreach (string name in new[] { "orders.get", "catalog.search", "report.render", "http request" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.True(group.AllocatedBytes > 0, name);
        }

        // report.render appends 20,000 rows "row {i}\n" to a StringBuilder on the thread pool and calls ToString, 20
        // times. Rows hold 5 × 20,000 chars plus the digits of 0..19,999 (10 + 90×2 + 900×3 + 9,000×4 + 10,000×5 =
        // 88,890): 188,890 UTF-16 chars. The builder's chunks hold at least those chars and the string once more:
        // at least 2 × 2 × 188,890 B per request. Chunks are at most 8,000 chars, so their slack and headers add at
        // most ~5%; the span's own objects are tiny.
        const long Chars = (5 * 20_000) + 88_890;
        const long Floor = 20 * 2 * 2 * Chars;
        long rendered = report.Groups.Single(g => g.Name == "report.render").AllocatedBytes ?? 0;
        Assert.InRange(rendered, Floor, Floor * 1.10);
        Assert.Contains(report.Groups.Single(g => g.Name == "orders.get").Tags, t => t is { Key: "activity.source", Value: "Shop" });
    }

    private sealed record Server(Process Process, string Url) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }

            Process.Dispose();
        }
    }

    /// <summary>Starts the example on a port that was free a moment ago, and retries on another if it was taken since.</summary>
    private static async Task<Server> StartServerAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            string url = $"http://127.0.0.1:{FreePort()}";
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(TargetProgram.LocateExample("AspNetActivities"));
            info.ArgumentList.Add(url);
            info.Environment.Remove("DOTNET_DiagnosticPorts");
            var server = new Server(Process.Start(info)!, url);
            _ = server.Process.StandardOutput.ReadToEndAsync();
            _ = server.Process.StandardError.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var clock = Stopwatch.StartNew();
            while (!server.Process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    await http.GetStringAsync("/orders/1"); // answered: it listens, and the endpoint is warm
                    return server;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                }
            }

            server.Dispose();
            Assert.True(attempt < 2, "the example never answered");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(20);
        }
    }
}
