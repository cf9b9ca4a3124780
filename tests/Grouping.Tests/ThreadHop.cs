using System.Runtime.CompilerServices;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>Forces an await's continuation onto a new thread, so that tests of flow across threads cannot pass by luck.</summary>
internal static class ThreadHop
{
    /// <summary>
    /// Never complete when awaited: the continuation always runs on a thread started for it. (A task completed by another
    /// thread after a short sleep could already be complete when a loaded machine reached the await, and the code went on
    /// on the same thread.) The async method's builder restores the awaiting code's ExecutionContext there, as after any
    /// await.
    /// </summary>
    public static NewThreadAwaitable ToNewThread() => default;

    internal readonly struct NewThreadAwaitable : INotifyCompletion
    {
        public bool IsCompleted => false;

        public NewThreadAwaitable GetAwaiter() => this;

        // The short wait lets the thread that awaited unwind first (leaving its group, which adds its bytes), as it would
        // before any real continuation got scheduled and ran. UnsafeStart: the new thread starts in the root group (what
        // starting a thread allocates is nobody's), and the continuation itself restores the awaiting code's context.
        public void OnCompleted(Action continuation) => new Thread(() =>
        {
            Thread.Sleep(5);
            continuation();
        })
        { IsBackground = true }.UnsafeStart();

        public void GetResult()
        {
        }
    }
}
