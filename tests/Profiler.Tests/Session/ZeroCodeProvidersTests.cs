using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Session;

public class ZeroCodeProvidersTests
{
    [Theory]
    [InlineData(8, false)]
    [InlineData(10, false)]
    [InlineData(8, true)]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(null, true)]
    public void Build_AsksForTheHostingHistogram_WithBoundedHistograms_InRequestsMode(int? runtime, bool fromFirstInstruction)
    {
        var metrics = Metrics(Build(GroupByMode.Requests, runtime, fromFirstInstruction));

        Assert.NotNull(metrics);
        Assert.Contains(@"Microsoft.AspNetCore.Hosting\http.server.request.duration", metrics["Metrics"].Split(','));
        int histograms = int.Parse(metrics["MaxHistograms"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(histograms, 1, 1000);
        Assert.True(int.Parse(metrics["MaxTimeSeries"], System.Globalization.CultureInfo.InvariantCulture) > histograms);
    }

    [Theory]
    [InlineData(GroupByMode.Groups, 8)]
    [InlineData(GroupByMode.Groups, 10)]
    [InlineData(GroupByMode.Requests, 10)]
    [InlineData(GroupByMode.Activities, null)]
    public void Build_ReadsAnAttachedSessionsTotal_FromTheEventCounter_WhoseIncrementsStartAtEnable(GroupByMode mode, int? runtime)
    {
        var providers = Build(mode, runtime, fromFirstInstruction: false, intervalMs: 250);

        var counters = providers.Single(p => p.Name == ZeroCodeProviders.RuntimeCountersProvider);
        Assert.Equal("0.25", counters.Arguments!["EventCounterIntervalSec"]);
        Assert.DoesNotContain(ZeroCodeProviders.TotalAllocatedInstrument, Metrics(providers)?["Metrics"] ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(null)]
    public void Build_ReadsTheTotalFromTheMeter_AndLeavesTheEventCounterOff_FromTheFirstInstructionOfNet9AndLater(int? runtime)
    {
        var providers = Build(GroupByMode.Groups, runtime, fromFirstInstruction: true);

        Assert.Equal(@"System.Runtime\dotnet.gc.heap.total_allocated", Metrics(providers)!["Metrics"]);
        Assert.Equal("0", Metrics(providers)!["MaxHistograms"]);
        Assert.DoesNotContain(providers, p => p.Name == ZeroCodeProviders.RuntimeCountersProvider);
    }

    [Fact]
    public void Build_ReadsTheTotalFromTheEventCounter_FromTheFirstInstructionOfNet8_WhichHasNoMeter()
    {
        var providers = Build(GroupByMode.Groups, 8, fromFirstInstruction: true);

        Assert.Contains(providers, p => p.Name == ZeroCodeProviders.RuntimeCountersProvider);
        Assert.Null(Metrics(providers));
    }

    private static IReadOnlyList<EventPipeProvider> Build(GroupByMode mode, int? runtime, bool fromFirstInstruction, int intervalMs = 1000) =>
        ZeroCodeProviders.Build(new GroupByChoice(mode, "test"), null, runtime, fromFirstInstruction, "session", intervalMs);

    private static IDictionary<string, string>? Metrics(IReadOnlyList<EventPipeProvider> providers) =>
        providers.SingleOrDefault(p => p.Name == ZeroCodeProviders.MetricsProvider)?.Arguments;
}
