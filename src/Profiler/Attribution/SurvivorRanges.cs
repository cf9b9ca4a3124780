namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// The surviving (<c>GCBulkSurvivingObjectRanges</c>) and moved (<c>GCBulkMovedObjectRanges</c>) ranges one GC
/// reported, in pre-GC addresses. Ranges of one GC do not overlap; lookups sort them once and binary-search.
/// </summary>
internal sealed class SurvivorRanges
{
    private readonly List<Range> _ranges = [];
    private bool _sorted = true;

    public int Count => _ranges.Count;

    /// <summary>A range of objects that stayed in place.</summary>
    public void AddSurviving(ulong start, ulong length) => Add(new Range(start, length, start));

    /// <summary>A range of objects that moved from <paramref name="oldStart"/> to <paramref name="newStart"/>.</summary>
    public void AddMoved(ulong oldStart, ulong newStart, ulong length) => Add(new Range(oldStart, length, newStart));

    /// <summary>If <paramref name="address"/> (pre-GC) is in a range, its post-GC address.</summary>
    public bool TryFind(ulong address, out ulong newAddress)
    {
        if (!_sorted)
        {
            _ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }

        int found = AddressSearch.LastStartingAtOrBefore(_ranges, address, static r => r.Start);
        if (found >= 0 && address - _ranges[found].Start < _ranges[found].Length)
        {
            newAddress = _ranges[found].NewStart + (address - _ranges[found].Start);
            return true;
        }

        newAddress = 0;
        return false;
    }

    private void Add(Range range)
    {
        if (range.Length == 0)
        {
            return;
        }

        if (_ranges.Count > 0 && range.Start < _ranges[^1].Start)
        {
            _sorted = false;
        }

        _ranges.Add(range);
    }

    private readonly record struct Range(ulong Start, ulong Length, ulong NewStart);
}
