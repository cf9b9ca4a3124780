using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.GroupBy;

/// <summary>
/// <c>attach --group-by requests</c> (and the default, auto, choosing it) through the built executable, on the ASP.NET
/// Core app of tests/Targets/RequestsTarget published self-contained for .NET 8 and 9 (tick sampling; the process total
/// from the <c>alloc-rate</c> EventCounter on 8, the <c>System.Runtime</c> meter on 9), under a bounded load, against the
/// truth the app measures itself.
/// </summary>
[Collection("processes")]
public class RequestsOnOlderRuntimesTests(ITestOutputHelper output)
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-requests-older").FullName;

    [Theory]
    [InlineData("net8.0", 8, "requests")]
    [InlineData("net8.0", 8, null)]
    [InlineData("net9.0", 9, "requests")]
    [InlineData("net9.0", 9, null)]
    public async Task Attach_GivesOneGroupPerRouteWithin15Percent_AndTheProcessTotalWithin2Percent_OnASelfContainedAspNetCoreApp(string framework, int major, string? groupBy)
    {
        using var app = await TargetProgram.StartSelfContainedAsync("RequestsTarget", framework, []);
        string url = app.LineAfter("LISTENING ")!;
        await app.WaitForEndpointAsync();
        string file = Path.Combine(_dir, $"attach-{framework}-{groupBy ?? "auto"}.json");
        string[] grouping = groupBy is null ? [] : ["--group-by", groupBy];
        using var tool = Tool.Start(["attach", app.Id.ToString(CultureInfo.InvariantCulture), .. grouping, "--format", "json", "-o", file]);

        // "Attached" comes once the process-total counter has its first reading: the load starts after it.
        await tool.WaitForErrorAsync("Attached to process");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var before = await RequestsTargetLoad.TruthAsync(http);
        await RequestsTargetLoad.DriveAsync(http);
        var after = await RequestsTargetLoad.TruthAsync(http);
        await tool.SignalAsync("INT");
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Success, $"exit code {tool.ExitCode}: {tool.ErrorText}");
        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(file), file);
        Assert.StartsWith($"{major}.", report.Session.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("tick", report.Session.SamplingMode);
        Assert.Equal("requests", report.Session.GroupBy);
        Assert.Contains(groupBy is null ? "ASP.NET Core" : "--group-by requests", report.Session.GroupByReason, StringComparison.Ordinal);
        Assert.Contains("grouped by requests", tool.ErrorText, StringComparison.Ordinal);
        RequestsLoad.AssertMatches(report, before, after, output);
    }
}
