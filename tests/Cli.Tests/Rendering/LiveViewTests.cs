using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Cli.Tests.Rendering;

/// <summary>The live view's screens, from synthetic snapshots: no process needed.</summary>
public class LiveViewTests
{
    private static AllocationReport Snapshot(long estimated, string name = "orders/parse") => new()
    {
        Session = new SessionReport { Mode = "attach", TargetPid = 1, SamplingMode = "randomized" },
        Groups = [new GroupReport { Id = 1, ProcessId = 1, Name = name, EstimatedBytes = estimated, EstimatedBytesLow = estimated / 2, EstimatedBytesHigh = estimated * 2, Samples = 10 }],
    };

    [Fact]
    public void Frame_ShowsARateAfterAllocated_FromTheSecondFrameOn()
    {
        var snapshots = new Queue<AllocationReport>([Snapshot(1024 * 1024), Snapshot(3 * 1024 * 1024)]);
        var view = new LiveView(new TestConsole(interactive: true), snapshots.Dequeue);

        string first = view.Frame(TimeSpan.FromSeconds(1));
        string second = view.Frame(TimeSpan.FromSeconds(2));

        string header = first.Split('\n')[1];
        Assert.True(header.IndexOf("Rate", StringComparison.Ordinal) > header.IndexOf(ReportColumns.AllocatedHeading, StringComparison.Ordinal));
        Assert.Matches(@"orders/parse\s+—\s+—", first);           // not measured yet: no exact bytes, no rate
        Assert.Contains("2.0 MiB/s", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_NeutralizesHostileNames_AndCapsTheirWidth()
    {
        string hostile = "\u001b]0;pwned\u0007\u001b[2J\u001b[H\r\nfake row\u009b31m\u202E" + new string('x', 10_000);
        var view = new LiveView(new TestConsole(interactive: true), () => Snapshot(1024, hostile));
        string screen = view.Frame(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(screen, c => c != '\n' && c != '\r' && DisplayText.IsUnsafe(c));
        Assert.DoesNotContain("\r", screen.Replace(Environment.NewLine, "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', DisplayText.MaxNameWidth), screen, StringComparison.Ordinal);
        Assert.All(screen.Split('\n'), line => Assert.True(line.Length < 400, $"a line of {line.Length} characters"));
    }
}
