namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Which generation each address range holds, from one burst of <c>GCGenerationRange</c> events. The runtime emits a
/// burst at the start of each GC (layout before) and one before its end (layout after), in the order
/// POH (4), LOH (3), gen2, gen1, gen0 — with regions, one event per region. A burst is complete when the next event
/// has a higher generation number than the previous one (a new burst starts with 4 again).
/// </summary>
internal sealed class GenerationLayout
{
    private readonly List<(ulong Start, ulong End, int Generation)> _ranges = [];
    private bool _sorted = true;

    public bool IsEmpty => _ranges.Count == 0;

    public void Add(int generation, ulong start, ulong usedLength)
    {
        if (usedLength == 0)
        {
            return;
        }

        if (_ranges.Count > 0 && start < _ranges[^1].Start)
        {
            _sorted = false;
        }

        _ranges.Add((start, start + usedLength, generation));
    }

    /// <summary>The generation whose used part holds <paramref name="address"/>, or null if none does.</summary>
    public int? Classify(ulong address)
    {
        if (!_sorted)
        {
            _ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }

        int found = AddressSearch.LastStartingAtOrBefore(_ranges, address, static r => r.Start);
        return found >= 0 && address < _ranges[found].End ? _ranges[found].Generation : null;
    }
}
