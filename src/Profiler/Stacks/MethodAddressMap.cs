using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Native code ranges of the target's managed methods and the modules they belong to, gathered from method load
/// events during the session and from the rundown at its end, resolved to frames with one binary search.
/// Written by the event-processing thread, read when reports are built: every access takes one lock.
/// </summary>
public sealed class MethodAddressMap
{
    /// <summary>How far a ReadyToRun method known only by its entry point may extend (its real size is not in the event).</summary>
    private const ulong MaxUnsizedMethodBytes = 16 * 1024;

    private readonly object _lock = new();
    private readonly List<MethodCode> _methods = [];
    private readonly Dictionary<ulong, string> _modules = [];
    private bool _sorted = true;

    public void AddMethod(in MethodCode method)
    {
        if (method.Start == 0)
        {
            return;
        }

        lock (_lock)
        {
            _sorted &= _methods.Count == 0 || _methods[^1].Start <= method.Start;
            _methods.Add(method);
        }
    }

    /// <param name="path">The module's file path as the runtime reports it; only its file name is kept.</param>
    public void AddModule(ulong moduleId, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        lock (_lock)
        {
            _modules[moduleId] = Path.GetFileName(path);
        }
    }

    /// <summary>The method whose code holds <paramref name="address"/>, or a frame naming the bare address.</summary>
    public FrameReport Resolve(ulong address) =>
        TryResolve(address, out var frame) ? frame : new FrameReport(Unresolved(address), null);

    /// <summary>The method whose code holds <paramref name="address"/>, when one is known.</summary>
    public bool TryResolve(ulong address, out FrameReport frame)
    {
        lock (_lock)
        {
            SortOnce();

            // Stack addresses are return addresses: one that follows a call ending its method sits one byte past it.
            if ((Find(address) ?? Find(address - 1)) is { } found)
            {
                frame = new FrameReport(found.Name, _modules.GetValueOrDefault(found.ModuleId));
                return true;
            }

            frame = new FrameReport(Unresolved(address), null);
            return false;
        }
    }

    /// <summary>The name given to an address no known method covers.</summary>
    public static string Unresolved(ulong address) => $"0x{address:x}";

    private MethodCode? Find(ulong address)
    {
        int index = AddressSearch.LastStartingAtOrBefore(_methods, address, static m => m.Start);

        // A method seen twice (a load event and the rundown) has equal entries side by side; a sized range holding
        // the address wins over an entry point known without its size.
        MethodCode? unsized = null;
        for (int i = index; i >= 0 && i > index - 8; i--)
        {
            var candidate = _methods[i];
            if (candidate.Size > 0 && address < candidate.Start + candidate.Size)
            {
                return candidate;
            }

            if (candidate.Size == 0 && unsized is null && address - candidate.Start < MaxUnsizedMethodBytes && NextStartAfter(i) > address)
            {
                unsized = candidate;
            }
        }

        return unsized;
    }

    private ulong NextStartAfter(int index)
    {
        for (int i = index + 1; i < _methods.Count; i++)
        {
            if (_methods[i].Start > _methods[index].Start)
            {
                return _methods[i].Start;
            }
        }

        return ulong.MaxValue;
    }

    private void SortOnce()
    {
        if (!_sorted)
        {
            _methods.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }
    }
}
