using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Aggregates sampled allocations per group and per stack (raw return addresses, interned), then, when a report is
/// built, resolves the stacks to methods and keeps each group's heaviest call paths. A sample's group and its stack are
/// independent facts: this tracker never changes which group a sample belongs to.
/// </summary>
public sealed class CallPathTracker : IAllocationTracker
{
    /// <summary>The name of the entry that sums a group's call paths beyond the kept ones, so totals stay right.</summary>
    public const string OtherPaths = "(other paths)";

    /// <summary>The frame of samples that carried no stack (stack walk failed or not requested by the recorder).</summary>
    public const string NoStack = "(no stack)";

    /// <summary>The frame of samples whose stack was new after the distinct-stack cap was reached.</summary>
    public const string OverStackCap = "(stacks over the cap)";

    private const int NoStackId = -2;

    private readonly object _lock = new();
    private readonly StackTable _stacks;
    private readonly Dictionary<int, Dictionary<int, PathTotals>> _groups = [];

    /// <param name="maxDistinctStacks">Distinct stacks kept for the session (about 8 bytes per frame each).</param>
    public CallPathTracker(int maxDistinctStacks = 200_000) => _stacks = new StackTable(maxDistinctStacks);

    public void Allocated(in AttributedAllocation allocation)
    {
        lock (_lock)
        {
            int stackId = allocation.Stack is { Length: > 0 } stack ? _stacks.Intern(stack) : NoStackId;
            if (!_groups.TryGetValue(allocation.GroupId, out var paths))
            {
                paths = [];
                _groups[allocation.GroupId] = paths;
            }

            paths.TryGetValue(stackId, out var totals);
            paths[stackId] = new PathTotals(totals.Bytes + allocation.Weight, totals.Samples + 1);
        }
    }

    /// <summary>Sets <see cref="GroupReport.CallPaths"/> on each group: its heaviest paths, resolved through <paramref name="methods"/>.</summary>
    /// <param name="maxPaths">Paths kept per group; the rest are summed in one <see cref="OtherPaths"/> entry.</param>
    public IReadOnlyList<GroupReport> AddCallPaths(IReadOnlyList<GroupReport> groups, MethodAddressMap methods, int maxPaths = 500)
    {
        lock (_lock)
        {
            var resolved = new Dictionary<int, FrameReport[]>();
            return groups.Select(g => g with { CallPaths = _groups.TryGetValue(g.Id, out var paths) ? Paths(paths, methods, resolved, maxPaths) : [] }).ToArray();
        }
    }

    /// <summary>What a report should say about the stacks: caps reached, frames left unresolved.</summary>
    public IReadOnlyList<string> Notes(MethodAddressMap methods)
    {
        lock (_lock)
        {
            var notes = new List<string>();
            long withStack = 0, without = 0;
            foreach (var paths in _groups.Values)
            {
                foreach (var (id, totals) in paths)
                {
                    if (id == NoStackId)
                    {
                        without += totals.Samples;
                    }
                    else
                    {
                        withStack += totals.Samples;
                    }
                }
            }

            if (_stacks.RefusedSamples > 0)
            {
                notes.Add($"Stacks: {_stacks.Capacity:N0} distinct stacks were kept; {_stacks.RefusedSamples:N0} samples on newer stacks are counted under \"{OverStackCap}\".");
            }

            if (without > 0)
            {
                notes.Add($"Stacks: {without:N0} of {withStack + without:N0} samples carried no stack; they are counted under \"{NoStack}\".");
            }

            int frames = 0, unresolved = 0;
            for (int id = 0; id < _stacks.Count; id++)
            {
                var stack = _stacks.Get(id);
                for (int f = 0; f < stack.Length; f++)
                {
                    frames++;
                    if (!methods.TryResolve(stack[f], out _))
                    {
                        unresolved++;
                    }
                }
            }

            if (unresolved > 0)
            {
                notes.Add($"Stacks: {unresolved:N0} of {frames:N0} frames of the distinct stacks could not be named (code whose load the session did not see: the target exited before the rundown, or native stubs); they are shown as addresses.");
            }

            return notes;
        }
    }

    private List<CallPathReport> Paths(Dictionary<int, PathTotals> paths, MethodAddressMap methods, Dictionary<int, FrameReport[]> resolved, int maxPaths)
    {
        // Distinct raw stacks often name the same methods (different return addresses in one method): merge them.
        var merged = new Dictionary<string, (FrameReport[] Frames, double Bytes, long Samples)>(StringComparer.Ordinal);
        foreach (var (id, totals) in paths)
        {
            var frames = Frames(id, methods, resolved);
            string key = string.Join('\n', frames.Select(f => f.Method + "\t" + f.Module));
            merged.TryGetValue(key, out var sum);
            merged[key] = (frames, sum.Bytes + totals.Bytes, sum.Samples + totals.Samples);
        }

        var ordered = merged.Values.OrderByDescending(p => p.Bytes).ThenBy(p => p.Frames[0].Method, StringComparer.Ordinal).ToList();
        var kept = ordered.Take(maxPaths).Select(p => new CallPathReport(p.Frames, Round(p.Bytes), p.Samples)).ToList();
        if (ordered.Count > maxPaths)
        {
            var rest = ordered.Skip(maxPaths).ToList();
            kept.Add(new CallPathReport([new FrameReport(OtherPaths, null)], Round(rest.Sum(p => p.Bytes)), rest.Sum(p => p.Samples)));
        }

        return kept;
    }

    private FrameReport[] Frames(int id, MethodAddressMap methods, Dictionary<int, FrameReport[]> resolved)
    {
        if (id == NoStackId)
        {
            return [new FrameReport(NoStack, null)];
        }

        if (id == StackTable.Refused)
        {
            return [new FrameReport(OverStackCap, null)];
        }

        if (!resolved.TryGetValue(id, out var frames))
        {
            var stack = _stacks.Get(id);
            frames = new FrameReport[stack.Length];
            for (int f = 0; f < stack.Length; f++)
            {
                frames[f] = methods.Resolve(stack[f]);
            }

            resolved[id] = frames;
        }

        return frames;
    }

    private static long Round(double value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    private readonly record struct PathTotals(double Bytes, long Samples);
}
