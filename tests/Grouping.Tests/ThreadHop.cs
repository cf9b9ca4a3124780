using System.Runtime.CompilerServices;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>Forces an await's continuation onto a new thread, so that tests of flow across threads cannot pass by luck.</summary>
internal static class ThreadHop
{
    public static ConfiguredTaskAwaitable ToNewThread()
    {
        // Without RunContinuationsAsynchronously the continuation runs inline on the thread calling SetResult.
        var done = new TaskCompletionSource();
        var thread = new Thread(() =>
        {
            Thread.Sleep(5);
            done.SetResult();
        });
        thread.Start();
        return done.Task.ConfigureAwait(false);
    }
}
