using System.Collections.Concurrent;
using System.Diagnostics;
using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping.Activities;

/// <summary>
/// Turns <see cref="Activity"/> instances into allocation groups, with no change to the code that starts them —
/// the crate's <c>AllocationLayer</c> for tracing spans, for .NET's spans (OpenTelemetry, ASP.NET Core requests,
/// HttpClient calls).
/// </summary>
/// <remarks>
/// <para>While the object returned by <see cref="Start(Func{ActivitySource, bool}, Func{Activity, string}, int)"/>
/// lives and someone looks at groups — a profiler session on the groups EventSource, or
/// <see cref="AllocationRegistry.EnableTracking"/> — each Activity started from a chosen source enters the group named after it, on the flow that started
/// it, and leaves it when it stops, restoring the group that was current before. The group flows with the
/// activity's work across <c>await</c> and the thread pool, exactly like an explicit
/// <see cref="AllocationGroupToken.Enter"/>, and its bytes are exact in the same way.</para>
/// <para>While nobody looks, no listener is registered: Activities are neither created nor touched, and a request
/// costs nothing more than without this class. Activities started before someone looks are not grouped.</para>
/// <para>Sampling: the listener asks for <see cref="ActivitySamplingResult.PropagationData"/>, the least it needs
/// for Activities to be created. It never lowers what another listener (such as OpenTelemetry) asks for, but
/// where nobody else listens, Activities of the chosen sources are created where they were not before.</para>
/// <para>Edge cases: an Activity stopped on another flow than the one that started it (another thread, a callback)
/// changes nothing on that flow; the starting flow keeps the group until it ends. An Activity never stopped leaves
/// its group current on the flow that started it, and nothing else is retained. Only one instance may be active
/// at a time.</para>
/// </remarks>
public static class ActivityAllocationGroups
{
    /// <summary>The default number of distinct group names created from Activities.</summary>
    public const int DefaultMaxGroups = 1_000;

    /// <summary>The group that receives Activities whose names exceed the cap.</summary>
    public const string OverflowGroupName = "activity-overflow";

    /// <summary>The tag key carrying the name of the <see cref="ActivitySource"/> a group was created from.</summary>
    public const string SourceTagKey = "activity.source";

    private static int s_active;
    private static volatile bool s_following;

    /// <summary>Whether an Activity listener is registered now (someone looks at groups); for tests.</summary>
    internal static bool IsFollowing => s_following;

    /// <summary>
    /// Starts turning Activities into allocation groups.
    /// </summary>
    /// <param name="sources">Chooses the sources whose Activities become groups.</param>
    /// <param name="groupName">The group name for an Activity (default: its <see cref="Activity.OperationName"/>);
    /// <c>null</c> leaves the current group as it is.</param>
    /// <param name="maxGroups">The cap on distinct names; Activities beyond it go to <see cref="OverflowGroupName"/>,
    /// so that high-cardinality names (ids in a name) cannot grow memory without bound.</param>
    /// <returns>Stops the grouping when disposed.</returns>
    /// <exception cref="InvalidOperationException">Another instance is active.</exception>
    public static IDisposable Start(Func<ActivitySource, bool> sources, Func<Activity, string?>? groupName = null, int maxGroups = DefaultMaxGroups)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroups, 1);
        if (Interlocked.Exchange(ref s_active, 1) == 1)
        {
            throw new InvalidOperationException("ActivityAllocationGroups is already started: dispose the active instance first.");
        }

        // The groups EventSource must exist for a profiler to find and enable it, and so to turn this grouping on:
        // with no group registered yet, nothing else would have created it.
        _ = AllocationGroupsEventSource.Log;
        return new ActivityGrouping(sources, groupName ?? (static a => a.OperationName), maxGroups);
    }

    private sealed class ActivityGrouping : IDisposable
    {
        // A per-listener key, so that another instance later never mistakes this one's state for its own.
        private readonly string _stateKey = "TrackingProfiler.Grouping.Scope." + Guid.NewGuid().ToString("N");
        private readonly Func<Activity, string?> _groupName;
        private readonly int _maxGroups;
        private readonly ConcurrentDictionary<string, AllocationGroupToken> _groups = new(StringComparer.Ordinal);
        private readonly object _registerLock = new();
        private readonly object _listenerLock = new();
        private readonly Func<ActivitySource, bool> _sources;
        private readonly Action<bool> _follow;
        private ActivityListener? _listener;
        private AllocationGroupToken? _overflow;
        private int _disposed;

        public ActivityGrouping(Func<ActivitySource, bool> sources, Func<Activity, string?> groupName, int maxGroups)
        {
            _sources = sources;
            _follow = OnObservedChanged;
            _groupName = groupName;
            _maxGroups = maxGroups;
            GroupAccounting.ObservedChanged += _follow;
            lock (_listenerLock)
            {
                Follow(GroupAccounting.IsObserved);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                GroupAccounting.ObservedChanged -= _follow;
                lock (_listenerLock)
                {
                    Follow(false);
                }

                Volatile.Write(ref s_active, 0);
            }
        }

        // Listening makes the chosen sources create Activities (and this class a scope per Activity) where nobody
        // else asked for them: +578 B per request measured. So Activities are followed only while someone looks at
        // groups (a session on the groups EventSource, or tracking), and not at all otherwise.
        private void OnObservedChanged(bool observed)
        {
            lock (_listenerLock)
            {
                Follow(observed && Volatile.Read(ref _disposed) == 0);
            }
        }

        private void Follow(bool on)
        {
            if (on && _listener is null)
            {
                _listener = new ActivityListener
                {
                    ShouldListenTo = _sources,
                    Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
                    ActivityStarted = OnStarted,
                    ActivityStopped = OnStopped,
                };
                ActivitySource.AddActivityListener(_listener);
                s_following = true;
            }
            else if (!on && _listener is not null)
            {
                _listener.Dispose();
                _listener = null;
                s_following = false;
            }
        }

        private void OnStarted(Activity activity)
        {
            string? name;
            try
            {
                name = _groupName(activity);
            }
            catch (Exception)
            {
                // A failing name function must not break the application's Activity.Start.
                return;
            }

            if (name is null)
            {
                return;
            }

            // Runs on the starting flow, after Activity.Current was set: the group flows into the activity's work.
            activity.SetCustomProperty(_stateKey, new ScopeBox(TokenFor(name, activity.Source.Name).Enter()));
        }

        private void OnStopped(Activity activity)
        {
            // Restores the previous group only where this activity's group is still current (AllocationGroupScope's rule).
            if (activity.GetCustomProperty(_stateKey) is ScopeBox box)
            {
                activity.SetCustomProperty(_stateKey, null);
                box.Scope.Dispose();
            }
        }

        private AllocationGroupToken TokenFor(string name, string sourceName)
        {
            if (_groups.TryGetValue(name, out var token))
            {
                return token;
            }

            lock (_registerLock)
            {
                if (_groups.TryGetValue(name, out token))
                {
                    return token;
                }

                if (_groups.Count >= _maxGroups)
                {
                    return _overflow ??= AllocationGroupToken.Register(OverflowGroupName, (SourceTagKey, "*"));
                }

                token = AllocationGroupToken.Register(name, (SourceTagKey, sourceName));
                _groups[name] = token;
                return token;
            }
        }
    }

    private sealed class ScopeBox(AllocationGroupScope scope)
    {
        public AllocationGroupScope Scope { get; } = scope;
    }
}
