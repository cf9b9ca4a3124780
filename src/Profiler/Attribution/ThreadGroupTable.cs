using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Each thread's current group and its allocated-bytes counter at its last group change. Differences of that
/// counter between two changes on one thread are the exact bytes the thread allocated in the group it left.
/// </summary>
public sealed class ThreadGroupTable
{
    private readonly Dictionary<int, ThreadState> _threads = [];
    private int _unseenThreadGroup;

    /// <param name="unseenThreadsAreRoot">
    /// True when the session saw the process from its first instruction: a thread that never changed group is then
    /// known to be in the root group. At attach it is unknown.
    /// </param>
    public ThreadGroupTable(bool unseenThreadsAreRoot) =>
        _unseenThreadGroup = unseenThreadsAreRoot ? GroupIds.Root : GroupIds.Unknown;

    /// <summary>Counter readings that went backwards (an OS thread id reused by a new thread); such intervals are dropped.</summary>
    public long CounterResets { get; private set; }

    /// <summary>Changes whose <c>FromGroupId</c> disagreed with the group the table had for the thread (a sign of lost events).</summary>
    public long Inconsistencies { get; private set; }

    /// <summary>Number of threads seen changing group.</summary>
    public int ThreadCount => _threads.Count;

    /// <summary>The group <paramref name="threadId"/> is in now, as far as the stream has told.</summary>
    public int CurrentGroup(int threadId) =>
        _threads.TryGetValue(threadId, out var state) ? state.GroupId : _unseenThreadGroup;

    /// <summary>Applies a change; returns the closed exact interval, if the thread's previous reading is known.</summary>
    public ExactBytesInterval? Apply(in GroupChangedEvent e)
    {
        ExactBytesInterval? closed = null;
        if (_threads.TryGetValue(e.ThreadId, out var state))
        {
            if (state.GroupId != e.FromGroupId)
            {
                Inconsistencies++;
            }

            long delta = e.ThreadAllocatedBytes - state.AllocatedBytes;
            if (delta >= 0)
            {
                // Trust the event's FromGroupId: it was read on the thread itself, the table may have missed events.
                closed = new ExactBytesInterval(e.FromGroupId, e.ThreadId, delta, e.TimestampMs);
            }
            else
            {
                CounterResets++;
            }
        }
        else if (_unseenThreadGroup == GroupIds.Root)
        {
            // Seen from its first instruction, a thread's counter started at zero in the group it leaves now.
            closed = new ExactBytesInterval(e.FromGroupId, e.ThreadId, e.ThreadAllocatedBytes, e.TimestampMs);
        }

        _threads[e.ThreadId] = new ThreadState(e.ToGroupId, e.ThreadAllocatedBytes);
        return closed;
    }

    /// <summary>
    /// Forgets every thread, as after lost events: an interval spanning lost changes could hold bytes of several
    /// groups, so each thread starts afresh at its next change and is unknown until then.
    /// </summary>
    public void Reset()
    {
        _threads.Clear();
        _unseenThreadGroup = GroupIds.Unknown;
    }

    private readonly record struct ThreadState(int GroupId, long AllocatedBytes);
}
