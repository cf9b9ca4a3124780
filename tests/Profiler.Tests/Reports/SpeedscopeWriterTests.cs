using System.Text.Json;
using Json.Schema;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Tests.Reports;

public class SpeedscopeWriterTests
{
    private static readonly JsonSchema s_schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Reports", "speedscope.schema.json"));

    private static JsonDocument Write(AllocationReport report) => JsonDocument.Parse(ReportWriters.Render(report, ReportFormat.Speedscope));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Output_IsValidAgainstTheSpeedscopeSchema(bool callPaths)
    {
        var report = callPaths ? ReportSamples.WithCallPaths() : ReportSamples.Plain();
        using var document = Write(report);
        var result = s_schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void Schema_RejectsAProfileThatBreaksItsRules()
    {
        // The test's schema must be able to fail: a profile without weights and with an unknown unit.
        using var bad = JsonDocument.Parse("""{ "$schema": "https://www.speedscope.app/file-format-schema.json", "shared": { "frames": [] }, "profiles": [ { "type": "sampled", "name": "g", "unit": "furlongs", "startValue": 0, "endValue": 1, "samples": [] } ] }""");
        Assert.False(s_schema.Evaluate(bad.RootElement).IsValid);
    }

    [Fact]
    public void Profiles_AreOnePerGroup_InBytes_WeightedByEstimatedBytes_WithSharedFrames()
    {
        var report = ReportSamples.WithCallPaths();
        using var document = Write(report);
        var root = document.RootElement;
        var frames = root.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        var profiles = root.GetProperty("profiles").EnumerateArray().ToList();

        // (root) has no samples: no profile.
        Assert.Equal(["orders/parse", "images/thumbnail"], profiles.Select(p => p.GetProperty("name").GetString()));
        foreach (var (profile, group) in profiles.Zip(report.Groups))
        {
            Assert.Equal("sampled", profile.GetProperty("type").GetString());
            Assert.Equal("bytes", profile.GetProperty("unit").GetString());
            var samples = profile.GetProperty("samples").EnumerateArray().Select(s => s.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToList();
            var weights = profile.GetProperty("weights").EnumerateArray().Select(w => w.GetInt64()).ToList();
            Assert.Equal(samples.Count, weights.Count);
            Assert.All(samples, s => Assert.All(s, i => Assert.InRange(i, 0, frames.Count - 1)));
            Assert.Equal(group.EstimatedBytes, weights.Sum());
            Assert.Equal(group.EstimatedBytes, profile.GetProperty("endValue").GetInt64());
        }

        // Frames are shared: the path both groups have uses the same indices, and each frame is listed once.
        Assert.Equal(frames.Count, frames.Distinct().Count());
        var parsePath = profiles[0].GetProperty("samples")[1].EnumerateArray().Select(i => frames[i.GetInt32()]).ToList();
        Assert.Equal(["Shop.Program.Main", "Shop.Orders.Handler.HandleAsync", "Shop.Orders.Parser.Parse", "System.Text.Encoding.GetBytes"], parsePath); // root first
        Assert.Equal(profiles[0].GetProperty("samples")[1].GetRawText(), profiles[1].GetProperty("samples")[1].GetRawText());

        // What the listed paths leave out of a group's estimate is a stack of its own.
        Assert.Contains("(other call paths)", frames);
    }

    [Fact]
    public void WithoutCallPaths_EachAllocatedTypeIsAFrame()
    {
        using var document = Write(ReportSamples.Plain());
        var frames = document.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().ToList();
        var type = frames.Single(f => f.GetProperty("name").GetString() == "System.Collections.Generic.List`1[System.String]");
        Assert.Equal(GroupStacks.TypeModule, type.GetProperty("file").GetString());
    }

    [Fact]
    public void Names_AreKeptExactly()
    {
        using var document = Write(ReportSamples.Hostile());
        var names = document.RootElement.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(ReportSamples.HostileNames, names);
    }
}
