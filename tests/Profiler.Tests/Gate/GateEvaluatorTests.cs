using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Gate;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Tests.Gate;

public class GateEvaluatorTests
{
    private static AllocationReport Report(params GroupReport[] groups) => new() { Groups = groups };

    private static GroupReport Exact(string name, long bytes, int id = 1) => new() { Id = id, Name = name, AllocatedBytes = bytes };

    private static GroupReport Sampled(string name, long estimate, long low, long high) =>
        new() { Id = 1, Name = name, EstimatedBytes = estimate, EstimatedBytesLow = low, EstimatedBytesHigh = high, Samples = 50 };

    [Theory]
    [InlineData(1_049_999, true)]
    [InlineData(1_050_001, false)]
    public void ExactGroup_FailsOnlyAboveTheAllowedPercentage(long current, bool passes)
    {
        var result = GateEvaluator.Evaluate(Report(Exact("g", current)), Report(Exact("g", 1_000_000)), Threshold.Default, false, null);
        Assert.Equal(passes, result.Passed);
        Assert.Equal("exact", result.Verdicts.Single().Measure);
    }

    [Fact]
    public void ExactGroup_UsesAnAbsoluteIncrease_WhenGivenASize()
    {
        Assert.True(Threshold.TryParse("512KB", out var threshold));
        Assert.True(GateEvaluator.Evaluate(Report(Exact("g", 1_000_000 + 524_288)), Report(Exact("g", 1_000_000)), threshold, false, null).Passed);
        Assert.False(GateEvaluator.Evaluate(Report(Exact("g", 1_000_000 + 524_289)), Report(Exact("g", 1_000_000)), threshold, false, null).Passed);
    }

    [Fact]
    public void NewAndGoneGroups_AreListed_AndNewFailsOnlyWhenAsked()
    {
        var current = Report(Exact("kept", 10), Exact("new", 10));
        var baseline = Report(Exact("kept", 10), Exact("gone", 10));
        var lenient = GateEvaluator.Evaluate(current, baseline, Threshold.Default, failOnNew: false, null);
        Assert.True(lenient.Passed);
        Assert.Contains(lenient.Verdicts, v => v.Name == "new" && v.Status == VerdictStatus.New);
        Assert.Contains(lenient.Verdicts, v => v.Name == "gone" && v.Status == VerdictStatus.Gone);

        var strict = GateEvaluator.Evaluate(current, baseline, Threshold.Default, failOnNew: true, null);
        Assert.False(strict.Passed);
        Assert.Equal("new", strict.Verdicts.Single(v => v.Status == VerdictStatus.Fail).Name);
    }

    [Fact]
    public void SampledGroup_DoesNotFail_WhenTheIntervalsOverlapDespiteAHigherEstimate()
    {
        // +20% on the estimate, but the new interval's low end is inside the old interval: noise.
        var result = GateEvaluator.Evaluate(Report(Sampled("s", 1_200_000, 950_000, 1_500_000)), Report(Sampled("s", 1_000_000, 800_000, 1_250_000)), Threshold.Default, false, null);
        Assert.True(result.Passed);
        Assert.Equal("estimate", result.Verdicts.Single().Measure);
    }

    [Fact]
    public void SampledGroup_Fails_WhenEvenTheLowEndExceedsTheAllowedHighEnd()
    {
        var result = GateEvaluator.Evaluate(Report(Sampled("s", 3_000_000, 2_700_000, 3_300_000)), Report(Sampled("s", 1_000_000, 900_000, 1_100_000)), Threshold.Default, false, null);
        Assert.False(result.Passed);
    }

    [Fact]
    public void PseudoGroups_NeverFail_WhenTheyGrow()
    {
        var result = GateEvaluator.Evaluate(Report(Exact("(root)", 10_000_000, id: 0)), Report(Exact("(root)", 1_000, id: 0)), Threshold.Default, false, null);
        Assert.True(result.Passed);
    }

    [Fact]
    public void GroupsWithTheSameName_AreSummed_AcrossProcesses()
    {
        var current = Report(Exact("g", 600) with { ProcessId = 1 }, Exact("g", 600) with { ProcessId = 2, Id = 5 });
        var result = GateEvaluator.Evaluate(current, Report(Exact("g", 1_000)), Threshold.Default, false, null);
        Assert.Equal(1_200, result.Verdicts.Single().Current);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Budget_ChecksAbsoluteLimitsWithoutABaseline()
    {
        var budget = Budget.Parse("""{ "schemaVersion": 1, "groups": { "a": { "maxAllocatedBytes": "1KB" }, "b": { "maxAllocatedBytes": 4096 } } }""", "budget.json");
        var result = GateEvaluator.Evaluate(Report(Exact("a", 2_000), Exact("b", 2_000)), null, Threshold.Default, false, budget);
        Assert.Equal("a", result.Verdicts.Single(v => v.Status == VerdictStatus.Fail).Name);
        Assert.Equal(VerdictStatus.Pass, result.Verdicts.Single(v => v.Name == "b").Status);
    }

    [Fact]
    public void Budget_OverridesTheIncreasePerGroup_AndAppliesTheDefault()
    {
        var budget = Budget.Parse("""{ "schemaVersion": 1, "default": { "maxIncrease": "50%" }, "groups": { "tight": { "maxIncrease": "1%" } } }""", "budget.json");
        var result = GateEvaluator.Evaluate(Report(Exact("tight", 1_020), Exact("loose", 1_400)), Report(Exact("tight", 1_000), Exact("loose", 1_000)), Threshold.Default, false, budget);
        Assert.Equal("tight", result.Verdicts.Single(v => v.Status == VerdictStatus.Fail).Name);
    }

    [Fact]
    public void Budget_ChecksLiveBytesOnTheLowEnd_AndFailsWhenTheReportHasNoLiveData()
    {
        var budget = Budget.Parse("""{ "schemaVersion": 1, "groups": { "cache": { "maxLiveBytes": "1MB" } } }""", "budget.json");
        var withinNoise = Report(new GroupReport { Id = 1, Name = "cache", LiveBytes = 1_100_000, LiveBytesLow = 1_000_000, LiveBytesHigh = 1_200_000 });
        Assert.True(GateEvaluator.Evaluate(withinNoise, null, Threshold.Default, false, budget).Passed);

        var noData = GateEvaluator.Evaluate(Report(Exact("cache", 10)), null, Threshold.Default, false, budget);
        Assert.Contains("--track-frees", noData.Verdicts.Single(v => v.Status == VerdictStatus.Fail).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SaturatesInsteadOfOverflowing_WhenRowsOfOneNameSumPastLongMax()
    {
        var huge = Report(Exact("a", long.MaxValue), Exact("a", long.MaxValue));
        var result = GateEvaluator.Evaluate(huge, Report(Exact("a", 10)), Threshold.Default, false, null);
        Assert.Equal(long.MaxValue, result.Verdicts.Single().Current);
        Assert.False(result.Passed);
    }

    [Theory]
    [InlineData("Infinity%")]
    [InlineData("NaN%")]
    [InlineData("-5%")]
    [InlineData("99999999999TB")]
    public void Threshold_Refuses_WhenNotAFiniteLimit(string text) => Assert.False(Threshold.TryParse(text, out _));

    [Theory]
    [InlineData("{", "malformed")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{ "schemaVersion": 2 }""", "'schemaVersion' must be 1")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxAllocatedBytes": "lots" } } }""", "'a'.maxAllocatedBytes")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "x%" } } }""", "'a'.maxIncrease")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxBytes": 1 } } }""", "unknown limit 'maxBytes'")]
    [InlineData("""{ "schemaVersion": 1, "extra": 1 }""", "unknown field 'extra'")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "Infinity%" } } }""", "'a'.maxIncrease")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "NaN%" } } }""", "'a'.maxIncrease")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxAllocatedBytes": "99999999999TB" } } }""", "'a'.maxAllocatedBytes")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "5%" }, "a": { "maxIncrease": "50%" } } }""", "'groups' gives 'a' twice")]
    [InlineData("""{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "5%", "maxIncrease": "50%" } } }""", "the limits of 'a' gives 'maxIncrease' twice")]
    [InlineData("""{ "schemaVersion": 1, "schemaVersion": 1 }""", "the budget gives 'schemaVersion' twice")]
    public void Budget_FailsWithOneClearLine_WhenMalformed(string json, string expected)
    {
        var e = Assert.Throws<ProfilerException>(() => Budget.Parse(json, "budget.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("budget.json: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Renderer_NamesTheFailingGroupWithBaselineValueAndChange()
    {
        var result = GateEvaluator.Evaluate(Report(Exact("render", 2 * 1024 * 1024)), Report(Exact("render", 1024 * 1024)), Threshold.Default, false, null);
        string table = GateRenderer.Render(result, ReportFormat.Table);
        Assert.Contains("FAIL", table, StringComparison.Ordinal);
        Assert.Contains("1.0 MB", table, StringComparison.Ordinal);
        Assert.Contains("+1.0 MB (+100.0%)", table, StringComparison.Ordinal);
        Assert.Contains("Gate FAILED: 1 check(s) over their limit (render)", table, StringComparison.Ordinal);
        string markdown = GateRenderer.Render(result, ReportFormat.Markdown);
        Assert.Contains("| **FAIL** | render |", markdown, StringComparison.Ordinal);
    }
}
