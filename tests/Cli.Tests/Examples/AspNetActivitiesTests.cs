using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Examples;

[Collection("processes")]
public class AspNetActivitiesTests
{
    [Fact]
    public async Task RequestsAndSpans_BecomeGroups_WhenTheExampleIsTraced()
    {
        int port = 20_000 + Random.Shared.Next(20_000);
        string url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(TargetProgram.LocateExample("AspNetActivities"));
        info.ArgumentList.Add(url);
        using var server = Process.Start(info)!;
        _ = server.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await http.GetStringAsync("/orders/1");
                    break;
                }
                catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(100);
                }
            }

            string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-aspnet").FullName, "r.json");
            var attach = CliApp.RunAsync(["attach", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "4s", "-o", file], new TestConsole());
            await Task.Delay(1000);
            for (int i = 0; i < 20; i++)
            {
                await http.GetStringAsync($"/orders/{i}");
                await http.GetStringAsync("/catalog/search?q=red");
                await http.GetStringAsync("/report");
            }

            Assert.Equal(ExitCodes.Success, await attach.WaitAsync(TimeSpan.FromSeconds(60)));
            var report = ReportJson.Deserialize(File.ReadAllText(file), file);
            foreach (string name in new[] { "orders.get", "catalog.search", "report.render", "http request" })
            {
                var group = Assert.Single(report.Groups, g => g.Name == name);
                Assert.True(group.AllocatedBytes > 0, name);
            }

            // report.render builds a ~200 KB string on the thread pool 20 times: attributed to its span's group.
            Assert.True(report.Groups.Single(g => g.Name == "report.render").AllocatedBytes > 20 * 200_000);
            Assert.Contains(report.Groups.Single(g => g.Name == "orders.get").Tags, t => t is { Key: "activity.source", Value: "Shop" });
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }
}
