using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Resolves activity ids that are not the Grouping library's own (foreign ids) to groups made from requests
/// (<c>--group-by requests</c>) or Activities (<c>--group-by activities</c>). Each start seen registers the
/// ActivityTracker path of its id; a sample's id resolves to the longest registered path it descends from, so work in
/// nested activities (an Activity inside a request, an HttpClient call) counts to the request, and with Activities the
/// innermost one wins. Bounded: distinct group names are capped (then an overflow group), and the path table forgets
/// the oldest finished starts past its cap. Runs on the event-processing thread only. The empty id (root) and the
/// Grouping library's own ids never reach it; an id it cannot place stays in the foreign row.
/// </summary>
public sealed class ForeignActivityGroups : IForeignActivityResolver
{
    /// <summary>Started scopes remembered at most; finished ones are forgotten oldest first beyond it.</summary>
    public const int MaxTrackedScopes = 100_000;

    private const int MaxCachedIds = 100_000;
    private const int MaxNameLength = 200;

    /// <summary>What <see cref="Resolve"/> returns for an id under no registered scope (the foreign row's id).</summary>
    public const int Unresolved = GroupIds.ForeignActivity;

    private readonly ZeroCodeGrouping _grouping;
    private readonly Action<GroupInfo> _created;
    private readonly IReadOnlySet<string>? _sources;
    private readonly int _maxGroups;
    private readonly Dictionary<string, int> _groupByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _scopes = new(StringComparer.Ordinal);
    private readonly Queue<string> _finished = new();
    private readonly Dictionary<Guid, int> _resolved = [];
    private int _nextId = ZeroCodeGroupIds.First;

    /// <param name="grouping">Requests or Activities.</param>
    /// <param name="created">Told each new group (id, name, tags), before any sample is attributed to it.</param>
    /// <param name="sources">With Activities: the ActivitySource names to follow (null: all).</param>
    /// <param name="maxGroups">Distinct groups made at most; further names go to the overflow row.</param>
    public ForeignActivityGroups(ZeroCodeGrouping grouping, Action<GroupInfo> created, IReadOnlySet<string>? sources = null, int maxGroups = 200)
    {
        _grouping = grouping;
        _created = created;
        _sources = sources;
        _maxGroups = maxGroups;
    }

    /// <summary>Starts that landed in the overflow group because the cap on distinct groups was reached.</summary>
    public long OverflowStarts { get; private set; }

    /// <summary>Starts whose activity id was not an ActivityTracker path (activity flow not on), so nothing can be attributed to them.</summary>
    public long StartsWithoutPath { get; private set; }

    /// <summary>Starts not remembered because every remembered scope was still running at the cap.</summary>
    public long StartsNotTracked { get; private set; }

    public int MaxGroups => _maxGroups;

    /// <summary>Registers a request (requests mode).</summary>
    public void OnRequestStart(in RequestStartEvent e)
    {
        if (_grouping == ZeroCodeGrouping.Requests)
        {
            Register(e.ActivityId, EndpointName.For(e.Method, e.Path), "request");
        }
    }

    /// <summary>Registers an Activity of a followed source (activities mode).</summary>
    public void OnActivityStart(in ActivityStartEvent e)
    {
        if (_grouping == ZeroCodeGrouping.Activities && (_sources is null || _sources.Contains(e.SourceName)))
        {
            Register(e.ActivityId, Clean(e.OperationName), "activity", ("source", Clean(e.SourceName)));
        }
    }

    public void OnStop(in ScopeStopEvent e)
    {
        if (ActivityPath.TryDecode(e.ActivityId) is { } path && _scopes.ContainsKey(path))
        {
            // Kept a while: work the scope started and did not await (fire and forget) still carries its id.
            _finished.Enqueue(path);
        }
    }

    public bool TryResolve(in AllocationSampleEvent sample, out int groupId)
    {
        groupId = Resolve(sample.ActivityId);
        return groupId != Unresolved;
    }

    /// <summary>The group of an activity id: the innermost registered scope it descends from, or <see cref="Unresolved"/>.</summary>
    public int Resolve(Guid activityId)
    {
        if (_resolved.TryGetValue(activityId, out int cached))
        {
            return cached;
        }

        int group = Unresolved;
        for (string? path = ActivityPath.TryDecode(activityId); path is not null; path = ActivityPath.Parent(path))
        {
            if (_scopes.TryGetValue(path, out int found))
            {
                group = found;
                break;
            }
        }

        if (_resolved.Count >= MaxCachedIds)
        {
            _resolved.Clear();
        }

        _resolved[activityId] = group;
        return group;
    }

    private void Register(Guid activityId, string name, string kind, params (string Key, string Value)[] tags)
    {
        if (ActivityPath.TryDecode(activityId) is not { } path)
        {
            StartsWithoutPath++;
            return;
        }

        if (!_groupByName.TryGetValue(name, out int id))
        {
            if (_groupByName.Count >= _maxGroups)
            {
                id = GroupIds.Overflow;
                OverflowStarts++;
            }
            else
            {
                id = _nextId++;
                _groupByName[name] = id;
                _created(new GroupInfo(id, name, [("kind", kind), .. tags]));
            }
        }

        while (_scopes.Count >= MaxTrackedScopes && _finished.TryDequeue(out string? old))
        {
            _scopes.Remove(old);
        }

        if (_scopes.Count >= MaxTrackedScopes)
        {
            StartsNotTracked++;
        }
        else
        {
            _scopes[path] = id;

            // The runtime gives the 11th and later children of some scopes one shared id (see ActivityPath): the
            // latest start owns it, so what was resolved for it before must go.
            _resolved.Remove(activityId);
        }
    }

    private static string Clean(string text)
    {
        var chars = text.Length > MaxNameLength ? text[..MaxNameLength].ToCharArray() : text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return chars.Length == 0 ? "(unnamed)" : new string(chars);
    }
}
