using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Session;

/// <summary>How a session falls back to what each runtime accepts, on injected refusals (no process needed).</summary>
public class SessionStarterTests
{
    private static readonly TargetProcess s_target = new(4242, "app", "app", null);

    [Fact]
    public void Start_RetriesWithStackWalksAndInfersDotNet8_WhenTheRuntimeRefusesASessionWithout()
    {
        var attempts = new List<SessionAttempt>();
        var (result, attempt) = SessionStarter.Start(runtimeMajorVersion: null, stacksRequested: false, a =>
        {
            attempts.Add(a);
            return AttachTarget.StartSession(s_target, () => a.Stackwalk ? "session" : throw new UnsupportedCommandException("Command is not supported"));
        });

        Assert.Equal("session", result);
        Assert.Equal([new SessionAttempt(false, null), new SessionAttempt(true, 8)], attempts);
        Assert.True(SessionStarter.StackwalkForced(attempt, stacksRequested: false));
        Assert.Equal(SamplingMode.Tick, ProviderSet.Resolve(SamplingMode.Auto, attempt.RuntimeMajorVersion));
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    [InlineData(10, false)]
    public void Start_AsksForStackWalksAtOnceOnlyBeforeDotNet9(int major, bool stackwalk)
    {
        var attempts = new List<SessionAttempt>();
        var (_, attempt) = SessionStarter.Start(major, stacksRequested: false, a => { attempts.Add(a); return 0; });
        Assert.Equal(stackwalk, Assert.Single(attempts).Stackwalk);
        Assert.Equal(stackwalk, SessionStarter.StackwalkForced(attempt, stacksRequested: false));
    }

    [Fact]
    public void Start_DoesNotCallStackWalksForced_WhenTheUserAskedForStacks()
    {
        var (_, attempt) = SessionStarter.Start(8, stacksRequested: true, _ => 0);
        Assert.True(attempt.Stackwalk);
        Assert.False(SessionStarter.StackwalkForced(attempt, stacksRequested: true));
    }

    [Fact]
    public void Start_FailsWithSessionRefused_WhenTheRuntimeRefusesEveryConfiguration()
    {
        var e = Assert.Throws<ProfilerException>(() => SessionStarter.Start(null, false, _ =>
            AttachTarget.StartSession<int>(s_target, () => throw new UnsupportedCommandException("Command is not supported"))));
        Assert.Equal(ProfilerErrorKind.SessionRefused, e.Kind);
        Assert.Contains("refused the tracing session (Command is not supported)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void StartSession_MapsAnyRefusalOfTheRuntime_ToSessionRefused_NotNotDotNet()
    {
        var e = Assert.Throws<ProfilerException>(() => AttachTarget.StartSession<int>(s_target, () => throw new ServerErrorException("Start failed")));
        Assert.Equal(ProfilerErrorKind.SessionRefused, e.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Resolve_ReportsNoSuchProcess_ForIdsThatAreNotProcesses(int pid)
    {
        var e = Assert.Throws<ProfilerException>(() => AttachTarget.Resolve(pid, null));
        Assert.Equal(ProfilerErrorKind.NoSuchProcess, e.Kind);
    }

    [Theory]
    [InlineData(8, SamplingMode.Tick)]
    [InlineData(9, SamplingMode.Tick)]
    [InlineData(10, SamplingMode.Randomized)]
    public void Auto_PicksTickWhereAllocationSampledDoesNotExist(int major, SamplingMode expected) =>
        Assert.Equal(expected, ProviderSet.Resolve(SamplingMode.Auto, major));

    [Theory]
    [InlineData(SamplingMode.Randomized, 9, "exists from .NET 10 and this runtime is .NET 9")]
    [InlineData(SamplingMode.Randomized, null, "could not be read")]
    [InlineData(SamplingMode.Tick, 8, "less than that")]
    public void NoSamplesReason_SaysWhy(SamplingMode sampling, int? major, string expected) =>
        Assert.Contains(expected, SessionNotes.NoSamplesReason(sampling, major), StringComparison.Ordinal);
}
