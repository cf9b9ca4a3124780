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

    public void GroupMerged(in GroupMerge merge)
    {
        lock (_lock)
        {
            if (merge.FromId == merge.IntoId || !_groups.Remove(merge.FromId, out var from))
            {
                return;
            }

            if (!_groups.TryGetValue(merge.IntoId, out var into))
            {
                _groups[merge.IntoId] = from;
                return;
            }

            foreach (var (stackId, totals) in from)
            {
                into.TryGetValue(stackId, out var mine);
                into[stackId] = new PathTotals(mine.Bytes + totals.Bytes, mine.Samples + totals.Samples);
            }
        }
    }

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
            var resolver = new StackResolver(_stacks, methods);
            return groups.Select(g => g with { CallPaths = _groups.TryGetValue(g.Id, out var paths) ? Paths(paths, resolver, maxPaths) : [] }).ToArray();
        }
    }

    /// <summary>What a report should say about the stacks: caps reached, samples without stacks, frames left unresolved.</summary>
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

            var resolver = new StackResolver(_stacks, methods);
            int frames = 0, unresolved = 0;
            for (int id = 0; id < _stacks.Count; id++)
            {
                foreach (int frame in resolver.Stack(id))
                {
                    frames++;
                    unresolved += resolver.IsResolved(frame) ? 0 : 1;
                }
            }

            if (unresolved > 0)
            {
                notes.Add($"Stacks: {unresolved:N0} of {frames:N0} frames of the distinct stacks could not be named (code whose load the session did not see: the target exited before the rundown, or native stubs); they are shown as addresses.");
            }

            return notes;
        }
    }

    private static List<CallPathReport> Paths(Dictionary<int, PathTotals> paths, StackResolver resolver, int maxPaths)
    {
        // Distinct raw stacks often name the same methods (different return addresses in one method): merge them.
        var merged = new Dictionary<FrameSequence, PathTotals>();
        foreach (var (id, totals) in paths)
        {
            var key = new FrameSequence(id switch
            {
                NoStackId => [resolver.Named(NoStack)],
                StackTable.Refused => [resolver.Named(OverStackCap)],
                _ => resolver.Stack(id),
            });
            merged.TryGetValue(key, out var sum);
            merged[key] = new PathTotals(sum.Bytes + totals.Bytes, sum.Samples + totals.Samples);
        }

        var ordered = merged.OrderByDescending(p => p.Value.Bytes).ThenBy(p => resolver.Frame(p.Key.Frames[0]).Method, StringComparer.Ordinal).ToList();
        var kept = ordered.Take(maxPaths).Select(p => new CallPathReport(p.Key.Frames.Select(resolver.Frame).ToArray(), Round(p.Value.Bytes), p.Value.Samples)).ToList();
        if (ordered.Count > maxPaths)
        {
            var rest = ordered.Skip(maxPaths).ToList();
            kept.Add(new CallPathReport([new FrameReport(OtherPaths, null)], Round(rest.Sum(p => p.Value.Bytes)), rest.Sum(p => p.Value.Samples)));
        }

        return kept;
    }

    private static long Round(double value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Resolves each distinct address once and gives each distinct frame (method and module) one id, so that stacks
    /// become short int sequences that compare and hash quickly.
    /// </summary>
    private sealed class StackResolver(StackTable stacks, MethodAddressMap methods)
    {
        private readonly Dictionary<ulong, int> _byAddress = [];
        private readonly Dictionary<FrameReport, int> _byFrame = [];
        private readonly List<FrameReport> _frames = [];
        private readonly List<bool> _resolved = [];
        private readonly Dictionary<int, int[]> _byStack = [];

        public FrameReport Frame(int id) => _frames[id];

        public bool IsResolved(int id) => _resolved[id];

        public int Named(string name) => Intern(new FrameReport(name, null), resolved: true);

        public int[] Stack(int stackId)
        {
            if (!_byStack.TryGetValue(stackId, out var frames))
            {
                var addresses = stacks.Get(stackId);
                frames = new int[addresses.Length];
                for (int f = 0; f < addresses.Length; f++)
                {
                    frames[f] = Address(addresses[f]);
                }

                _byStack[stackId] = frames;
            }

            return frames;
        }

        private int Address(ulong address)
        {
            if (!_byAddress.TryGetValue(address, out int id))
            {
                bool resolved = methods.TryResolve(address, out var frame);
                id = Intern(frame, resolved);
                _byAddress[address] = id;
            }

            return id;
        }

        private int Intern(FrameReport frame, bool resolved)
        {
            if (!_byFrame.TryGetValue(frame, out int id))
            {
                id = _frames.Count;
                _frames.Add(frame);
                _resolved.Add(resolved);
                _byFrame[frame] = id;
            }

            return id;
        }
    }

    private readonly struct FrameSequence(int[] frames) : IEquatable<FrameSequence>
    {
        private readonly int _hash = Hash(frames);

        public int[] Frames { get; } = frames;

        public bool Equals(FrameSequence other) => Frames.AsSpan().SequenceEqual(other.Frames);

        public override bool Equals(object? obj) => obj is FrameSequence other && Equals(other);

        public override int GetHashCode() => _hash;

        private static int Hash(int[] frames)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(frames.AsSpan()));
            return hash.ToHashCode();
        }
    }

    private readonly record struct PathTotals(double Bytes, long Samples);
}
