using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>
/// The groups EventSource enabled the way dotnet-alloctrack enables it: an EventPipe session, here on this very
/// process, whose Enable callback runs on the runtime's diagnostics server thread. Starting the process's first timer
/// there (which creates the timer thread) deadlocked a fresh process; the test host already has a timer thread, so
/// this test cannot reproduce that case — `Grouping.Benchmarks cputime 1 200000 eventpipe` (a fresh process) does.
/// </summary>
[Collection("events")]
public class EventPipeSessionTests
{
    [Fact]
    public async Task EventPipeSession_TurnsAccountingAndActivityIdsOn_AndOffWhenStopped()
    {
        var token = AllocationGroupToken.Register("eventpipe-session");
        var providers = new[]
        {
            new EventPipeProvider(EventContract.SourceName, EventLevel.Informational, GroupEventRecorder.V2Keywords,
                new Dictionary<string, string> { [EventContract.TotalsIntervalArgument] = "50" }),
        };

        // On another thread, with a deadline: a deadlock fails the test instead of hanging the run.
        var session = await Task.Run(() => new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(
            new EventPipeSessionConfiguration(providers, 64, requestRundown: false, requestStackwalk: false))).WaitAsync(TimeSpan.FromSeconds(30));
        var stream = session.EventStream;
        var drain = Task.Run(() => stream.CopyTo(Stream.Null));
        try
        {
            Assert.Equal(GroupAccounting.Accounting | GroupAccounting.ActivityIds, GroupAccounting.Mode);
            Assert.Equal(50, AllocationGroupsEventSource.Log.TotalsIntervalMs);
            using (token.Enter())
            {
                Assert.True(EventContract.ActivityIds.TryDecode(EventSource.CurrentThreadActivityId, out int id));
                Assert.Equal(token.Id.Value, id);
            }
        }
        finally
        {
            await Task.Run(session.Stop).WaitAsync(TimeSpan.FromSeconds(30));
            await drain.WaitAsync(TimeSpan.FromSeconds(30));
            session.Dispose();
        }

        Assert.Equal(0, GroupAccounting.Mode);
        Assert.Equal(0, AllocationGroupsEventSource.Log.TotalsIntervalMs);
    }
}
