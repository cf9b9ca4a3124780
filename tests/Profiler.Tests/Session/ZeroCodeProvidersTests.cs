using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Session;

public class ZeroCodeProvidersTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(null)]
    public void Build_AsksForTheHostingHistogram_WithBoundedHistograms_InRequestsMode(int? runtime)
    {
        var metrics = Metrics(GroupByMode.Requests, runtime);

        Assert.NotNull(metrics);
        Assert.Contains(@"Microsoft.AspNetCore.Hosting\http.server.request.duration", metrics["Metrics"].Split(','));
        Assert.Equal(runtime is null or >= 9, metrics["Metrics"].Contains("System.Runtime", StringComparison.Ordinal));
        int histograms = int.Parse(metrics["MaxHistograms"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(histograms, 1, 1000);
        Assert.True(int.Parse(metrics["MaxTimeSeries"], System.Globalization.CultureInfo.InvariantCulture) > histograms);
    }

    [Theory]
    [InlineData(GroupByMode.Groups)]
    [InlineData(GroupByMode.Activities)]
    public void Build_KeepsHistogramsOff_InOtherModes(GroupByMode mode)
    {
        var metrics = Metrics(mode, 10);
        Assert.NotNull(metrics);
        Assert.Equal(@"System.Runtime\dotnet.gc.heap.total_allocated", metrics["Metrics"]);
        Assert.Equal("0", metrics["MaxHistograms"]);
        Assert.Null(Metrics(mode, 8)); // .NET 8 reads its total from the EventCounter
    }

    private static IDictionary<string, string>? Metrics(GroupByMode mode, int? runtime) =>
        ZeroCodeProviders.Build(new GroupByChoice(mode, "test"), null, runtime, "session", 1000)
            .SingleOrDefault(p => p.Name == ZeroCodeProviders.MetricsProvider)?.Arguments;
}
