using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Profiler.Tests.Integration;

/// <summary>No runtime is ever left paused, whatever happens to its session; and what each runtime accepts.</summary>
[Collection("processes")]
public class LaunchResumeTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-resume").FullName;

    [Fact]
    public async Task Launch_ResumesTheRuntime_WhenStartingItsSessionFailsUnexpectedly()
    {
        string truth = Path.Combine(_dir, "truth.json");
        var launch = new LaunchOptions { FileName = SelfContainedTarget.Locate("net9.0"), Arguments = ["run", truth] };

        // A zero-sized buffer makes the client library throw while the session starts: an error the launcher does not
        // expect, as a bug in the tool would be. The error propagates; the runtime must run all the same.
        await using var session = LaunchSession.Start(launch, new SessionOptions { BufferSizeMB = 0 });
        using var child = Process.GetProcessById(session.ChildProcessId);
        await Assert.ThrowsAsync<ArgumentException>(() => session.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2)));

        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1)); // a paused runtime would never exit
        Assert.True(File.Exists(truth), "the runtime did not run to its end"); // it wrote its truth last
    }

    [Fact]
    public async Task Session_FallsBackToStackWalks_WhenADotNet8RuntimeOfUnknownVersionRefusesASessionWithout()
    {
        string truth = Path.Combine(_dir, "fallback.truth.json");
        using var target = await SelfContainedTarget.StartWaitingAsync("net8.0", truth);
        await DiagnosticEndpoint.WaitAsync(target, TimeSpan.FromSeconds(30), CancellationToken.None);

        // Version unknown: the session asks without stack walks first, and .NET 8 really refuses that.
        var unknown = new TargetProcess(target.Id, "RuntimesTarget", null, RuntimeVersion: null);
        await using var session = ProfilingSession.Start(new DiagnosticsClient(target.Id), unknown, new SessionOptions());
        Assert.True(session.StackwalkForced);
        Assert.Equal(SamplingMode.Tick, session.Sampling);

        await target.StandardInput.WriteLineAsync("go");
        await target.StandardInput.FlushAsync();
        await target.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var report = session.BuildReport("attach", "target-exited");
        var expected = SelfContainedTarget.ReadTruth(truth);
        var parse = report.Groups.Single(g => g.Name == "parse");
        Assert.InRange((parse.AllocatedBytes ?? 0) / (double)expected["parse"], 0.99, 1.01);
        Assert.True(parse.Samples > 0);
        Assert.Contains(report.Session.Notes, n => n.StartsWith("Stack walks are on although not asked for", StringComparison.Ordinal));
    }
}
