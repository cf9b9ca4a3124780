using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Resolves activity ids that are not the Grouping library's own (foreign ids) to groups made from requests
/// (<c>--group-by requests</c>) or Activities (<c>--group-by activities</c>). Each start seen registers the
/// ActivityTracker path of its id; a sample's id resolves to the longest registered path it descends from, so work in
/// nested activities (an Activity inside a request, an HttpClient call) counts to the request, and with Activities the
/// innermost one wins. Requests are named by their route template when one learned from the target's metrics matches
/// (<see cref="OnRouteTemplate"/>), else by their path with id-like segments folded (<see cref="EndpointName"/>); a group
/// named by folded path before its template was known is merged into the template's group when the template arrives
/// (the metric is published once per interval, after the first requests of a route already allocated). Bounded:
/// distinct group names are capped (then an overflow group), and the path table forgets the oldest finished starts
/// past its cap. Runs on the event-processing thread only. The empty id (root) and the
/// Grouping library's own ids never reach it; an id it cannot place stays in the foreign row.
/// </summary>
public sealed class ForeignActivityGroups : IForeignActivityResolver
{
    /// <summary>Started scopes remembered at most; finished ones are forgotten oldest first beyond it.</summary>
    public const int MaxTrackedScopes = 100_000;

    private const int MaxCachedIds = 100_000;
    private const int MaxNameLength = 200;

    /// <summary>Path kept to match a folded group against templates learned later (the rest cannot change the match much).</summary>
    private const int MaxRepresentativePathLength = 2048;

    /// <summary>What <see cref="Resolve"/> returns for an id under no registered scope (the foreign row's id).</summary>
    public const int Unresolved = GroupIds.ForeignActivity;

    private readonly ZeroCodeGrouping _grouping;
    private readonly Action<GroupInfo> _created;
    private readonly Action<GroupMerge>? _merged;
    private readonly RouteTemplates _templates = new();
    private readonly Dictionary<int, FoldedGroup> _folded = [];
    private readonly Dictionary<int, int> _mergedInto = [];
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
    /// <param name="merged">Told when a group named by folded path turns out to be a learned route's (after the route's group was announced).</param>
    public ForeignActivityGroups(ZeroCodeGrouping grouping, Action<GroupInfo> created, IReadOnlySet<string>? sources = null, int maxGroups = 200, Action<GroupMerge>? merged = null)
    {
        _grouping = grouping;
        _created = created;
        _merged = merged;
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

    /// <summary>Distinct (method, route template) pairs learned from the target.</summary>
    public int RouteTemplatesLearned { get; private set; }

    /// <summary>Templates ignored: beyond <see cref="RouteTemplates.MaxTemplates"/> or longer than <see cref="RouteTemplates.MaxTemplateLength"/>.</summary>
    public long RouteTemplatesRefused { get; private set; }

    /// <summary>Request groups named by a route template.</summary>
    public int GroupsNamedByTemplate { get; private set; }

    /// <summary>Request groups named by folded path, not (yet) merged into a template's group.</summary>
    public int GroupsNamedByPath { get; private set; }

    /// <summary>Groups named by folded path that were merged into their template's group once it was learned.</summary>
    public int GroupsMerged { get; private set; }

    /// <summary>Registers a request (requests mode): under its route template when a learned one matches, else under its folded path.</summary>
    public void OnRequestStart(in RequestStartEvent e)
    {
        if (_grouping != ZeroCodeGrouping.Requests)
        {
            return;
        }

        if (ActivityPath.TryDecode(e.ActivityId) is not { } path)
        {
            StartsWithoutPath++;
            return;
        }

        int id;
        if (_templates.Match(e.Method, e.Path) is { } template)
        {
            id = TemplateGroup(e.Method, template);
        }
        else
        {
            string name = EndpointName.For(e.Method, e.Path);
            bool known = _groupByName.ContainsKey(name);
            id = GroupFor(name, [("kind", "request")]);
            if (!known && id != GroupIds.Overflow)
            {
                _folded[id] = new FoldedGroup(name, e.Method, e.Path.Length > MaxRepresentativePathLength ? e.Path[..MaxRepresentativePathLength] : e.Path);
                GroupsNamedByPath++;
            }
        }

        Track(path, e.ActivityId, id);
    }

    /// <summary>
    /// A route template the target reported (requests mode). When new, every group still named by folded path whose
    /// request matches it is merged into the template's group, so that requests that started before the template was
    /// known count to their route. (A folded group is judged by its first request's path.)
    /// </summary>
    public void OnRouteTemplate(in RouteTemplateEvent e)
    {
        if (_grouping != ZeroCodeGrouping.Requests)
        {
            return;
        }

        bool learned = _templates.Learn(e.Method, e.Route);
        RouteTemplatesRefused = _templates.Refused;
        if (!learned)
        {
            return;
        }

        RouteTemplatesLearned = _templates.Count;
        foreach (var (id, folded) in _folded.ToArray())
        {
            if (_templates.Match(folded.Method, folded.Path) is not { } template)
            {
                continue;
            }

            _folded.Remove(id);
            GroupsNamedByPath--;
            string name = RouteTemplates.Name(folded.Method, template);
            if (name == folded.Name)
            {
                // The template reads like the folded path (a route written "/orders/{id}"): the group simply is the route's.
                GroupsNamedByTemplate++;
                _created(new GroupInfo(id, name, [("kind", "request"), ("route", template.Text)]));
                continue;
            }

            // Forget the folded name first: that frees its place under the cap for the template's group.
            _groupByName.Remove(folded.Name);
            int into = TemplateGroup(folded.Method, template);
            _mergedInto[id] = into;
            GroupsMerged++;
            _merged?.Invoke(new GroupMerge(id, into, e.TimestampMs));
        }
    }

    /// <summary>Registers an Activity of a followed source (activities mode).</summary>
    public void OnActivityStart(in ActivityStartEvent e)
    {
        if (_grouping == ZeroCodeGrouping.Activities && (_sources is null || _sources.Contains(e.SourceName)))
        {
            Register(e.ActivityId, Clean(e.OperationName), ("kind", "activity"), ("source", Clean(e.SourceName)));
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
            return _mergedInto.GetValueOrDefault(cached, cached);
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
        return _mergedInto.GetValueOrDefault(group, group);
    }

    private void Register(Guid activityId, string name, params (string Key, string Value)[] tags)
    {
        if (ActivityPath.TryDecode(activityId) is not { } path)
        {
            StartsWithoutPath++;
            return;
        }

        Track(path, activityId, GroupFor(name, tags));
    }

    /// <summary>The group of a route template, made (and announced) the first time.</summary>
    private int TemplateGroup(string method, RouteTemplate template)
    {
        string name = RouteTemplates.Name(method, template);
        if (_groupByName.TryGetValue(name, out int id) && _folded.Remove(id))
        {
            // A folded path that reads like the template: that group is the route's from now on.
            GroupsNamedByPath--;
            GroupsNamedByTemplate++;
            _created(new GroupInfo(id, name, [("kind", "request"), ("route", template.Text)]));
            return id;
        }

        bool known = _groupByName.ContainsKey(name);
        id = GroupFor(name, [("kind", "request"), ("route", template.Text)]);
        if (!known && id != GroupIds.Overflow)
        {
            GroupsNamedByTemplate++;
        }

        return id;
    }

    /// <summary>The group named <paramref name="name"/>, made and announced the first time, or the overflow row past the cap.</summary>
    private int GroupFor(string name, (string Key, string Value)[] tags)
    {
        if (_groupByName.TryGetValue(name, out int id))
        {
            return id;
        }

        if (_groupByName.Count >= _maxGroups)
        {
            OverflowStarts++;
            return GroupIds.Overflow;
        }

        id = _nextId++;
        _groupByName[name] = id;
        _created(new GroupInfo(id, name, tags));
        return id;
    }

    private void Track(string path, Guid activityId, int id)
    {
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

    /// <summary>A group named by folded path, and the request that made it (to match templates learned later).</summary>
    private readonly record struct FoldedGroup(string Name, string Method, string Path);

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
