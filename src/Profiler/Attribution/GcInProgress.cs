using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// What the <see cref="HeapSurvivalAnalyzer"/> gathers for one GC between its <c>GCStart</c> and <c>GCEnd</c>: the
/// ranges that survived or moved, the generation layouts before and after, and the threads that reported them.
/// A blocking GC and a background GC can be in progress at the same time, each with its own instance.
/// </summary>
internal sealed class GcInProgress(GcStartEvent start, long startEpoch)
{
    private int _lastLayoutGeneration = int.MaxValue;
    private int _layoutBursts;

    public int Number { get; } = start.Number;

    public int Depth { get; } = start.Depth;

    public GcKind Kind { get; } = start.Kind;

    /// <summary>The thread that logged <c>GCStart</c> (the triggering user thread, also for a background GC).</summary>
    public int StartThreadId { get; } = start.ThreadId;

    /// <summary>Objects sampled at or after this epoch were allocated after the GC started: it does not judge them.</summary>
    public long StartEpoch { get; } = startEpoch;

    public SurvivorRanges Ranges { get; } = new();

    /// <summary>The layout at the GC's start (first <c>GCGenerationRange</c> burst in its window).</summary>
    public GenerationLayout Before { get; } = new();

    /// <summary>The layout at the GC's end (the last burst), empty when none came.</summary>
    public GenerationLayout After { get; private set; } = new();

    /// <summary>Whether any <c>GCBulkMovedObjectRanges</c> came for this GC (it compacted).</summary>
    public bool HasMoves { get; set; }

    /// <summary>For a background GC: how many blocking (foreground) GCs started while it was in progress.</summary>
    public int ForegroundGcsDuring { get; set; }

    /// <summary>Threads that reported ranges for this GC.</summary>
    public HashSet<int> ReporterThreads { get; } = [];

    /// <summary>Something about this GC's events cannot be trusted: it declares no object dead.</summary>
    public bool Uncertain { get; set; }

    /// <summary>Why <see cref="Uncertain"/> was set (diagnostics and tests).</summary>
    public string? UncertainReason { get; private set; }

    /// <summary>For a background GC: the old-generation objects it condemned, taken at its start.</summary>
    public List<TrackedObject>? Condemned { get; set; }

    public void MarkUncertain(string reason)
    {
        if (!Uncertain)
        {
            Uncertain = true;
            UncertainReason = reason;
        }
    }

    public void AddGenerationRange(in GenerationRangeEvent e)
    {
        if (e.Generation > _lastLayoutGeneration || _layoutBursts == 0)
        {
            // A new burst: the first is the layout before the GC, any later one the layout after it.
            _layoutBursts++;
            if (_layoutBursts > 1)
            {
                After = new GenerationLayout();
            }
        }

        _lastLayoutGeneration = e.Generation;
        (_layoutBursts == 1 ? Before : After).Add(e.Generation, e.RangeStart, e.RangeUsedLength);
    }
}
