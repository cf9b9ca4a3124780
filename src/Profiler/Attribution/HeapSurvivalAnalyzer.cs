using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Follows sampled objects through GCs to infer frees (the crate's <c>deallocated</c>) and survival into gen2.
/// </summary>
/// <remarks>
/// <para>
/// Input: the runtime's <c>GCHeapSurvivalAndMovement</c> events (keyword 0x400000). Between a GC's <c>GCStart</c> and
/// <c>GCEnd</c> the runtime reports every range of objects of the condemned generations that survived, in pre-GC
/// addresses: <c>GCBulkSurvivingObjectRanges</c> (sweeping GCs and the LOH/POH) and <c>GCBulkMovedObjectRanges</c>
/// (compacting GCs, with the new address). It also reports the generation layout (<c>GCGenerationRange</c>) once at
/// the start and once at the end of each GC. At <c>GCEnd</c>, a tracked object of a condemned generation not covered
/// by any range is dead; a covered one takes its new address and its new generation (from the layout after the GC,
/// otherwise one generation older). See docs/architecture.md, "How frees are inferred".
/// </para>
/// <para>
/// Which GC a range belongs to (observed on .NET 10, workstation GC): a blocking GC's ranges arrive inside its
/// GCStart/GCEnd window from the thread that logged its GCStart. A background GC (GCStart Kind=Background, on the
/// user thread that triggered it) reports its survivors tens of ms later from the BGC thread(s), outside the windows
/// of the ephemeral GCs that run meanwhile (these are logged as NonConcurrent or ForegroundDuringBackground), and its
/// GCEnd comes from a BGC thread too. With server GC, blocking GCs log GCStart, GCEnd and ranges from several GC
/// threads. So: a range inside an open blocking GC's window belongs to that GC; outside, to the open background GC.
/// Inside a blocking window while a background GC is open, a range from a thread that already reported for the
/// background GC goes to it; one from a thread known to do blocking GCs (it logged a blocking GC's start or end, or
/// reported ranges with no background GC open) goes to the blocking GC; any other is ambiguous and makes both GCs
/// uncertain.
/// </para>
/// <para>
/// Conservative by design (a false free is worse than a missed one): a GC whose ranges never came, whose ranges had
/// an unclear owner, whose start was not seen, or during which events were lost declares nothing dead. Since such a
/// GC may have moved the objects it condemned, those objects are forgotten (no longer followed, never reported freed:
/// their bytes stay live). Lost events forget every object.
/// </para>
/// <para>Not thread-safe: called on the event-processing thread only. <see cref="Statistics"/> may be read from any thread (values may be slightly stale).</para>
/// </remarks>
internal sealed class HeapSurvivalAnalyzer
{
    private readonly Action<AttributedFree> _onFree;
    private readonly Action<AttributedSurvival>? _onReachedGen2;
    private readonly HeapSurvivalOptions _options;

    // Every followed object by its current address. A live object has one address at a time, so a new sample at a
    // tracked address means the old object died unseen.
    private readonly Dictionary<ulong, TrackedObject> _objects = [];

    // The objects in gen0/gen1 (may hold removed ones, skipped): ephemeral GCs only look at these, so a gen0 GC costs
    // O(young samples), not O(all samples).
    private List<TrackedObject> _young = [];

    private GcInProgress? _blocking;
    private GcInProgress? _background;

    // Threads seen doing blocking GCs' work: logging their GCStart/GCEnd, or reporting their ranges while no
    // background GC was open. Workstation GC: the user threads that triggered GCs; server GC: the GC threads. A
    // background GC's own thread is never among them, which tells its ranges from a foreground GC's.
    private readonly HashSet<int> _blockingGcThreads = [];

    // Incremented at each GCStart: tells objects sampled before a GC from those sampled during or after it.
    private long _epoch;
    private int _lastGcNumber;

    // The layout after the last GC: classifies new samples that land in the POH.
    private GenerationLayout _lastLayout = new();

    private long _frees;
    private long _reachedGen2;
    private long _gcsProcessed;
    private long _backgroundGcs;
    private long _uncertainGcs;
    private long _droppedAtCapacity;
    private long _forgotten;
    private long _replaced;
    private long _orphanRanges;
    private long _untrackable;

    public HeapSurvivalAnalyzer(Action<AttributedFree> onFree, Action<AttributedSurvival>? onReachedGen2 = null)
        : this(onFree, onReachedGen2, new HeapSurvivalOptions())
    {
    }

    public HeapSurvivalAnalyzer(Action<AttributedFree> onFree, Action<AttributedSurvival>? onReachedGen2, HeapSurvivalOptions options)
    {
        ArgumentNullException.ThrowIfNull(onFree);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTrackedObjects);
        _onFree = onFree;
        _onReachedGen2 = onReachedGen2;
        _options = options;
    }

    /// <summary>A consistent-enough copy of the counters.</summary>
    public HeapSurvivalStatistics Statistics => new()
    {
        TrackedObjects = Volatile.Read(ref _trackedCount),
        Frees = Volatile.Read(ref _frees),
        ReachedGen2 = Volatile.Read(ref _reachedGen2),
        GcsProcessed = Volatile.Read(ref _gcsProcessed),
        BackgroundGcs = Volatile.Read(ref _backgroundGcs),
        UncertainGcs = Volatile.Read(ref _uncertainGcs),
        DroppedAtCapacity = Volatile.Read(ref _droppedAtCapacity),
        Forgotten = Volatile.Read(ref _forgotten),
        ReplacedAtReusedAddress = Volatile.Read(ref _replaced),
        OrphanRanges = Volatile.Read(ref _orphanRanges),
        Untrackable = Volatile.Read(ref _untrackable),
        LastUncertainReason = Volatile.Read(ref _lastUncertainReason),
    };

    // _objects.Count, published for Statistics readers on other threads.
    private int _trackedCount;

    // Why the last uncertain GC declared nothing dead: the report quotes it next to the uncertain-GC count.
    private string? _lastUncertainReason;

    /// <summary>A sampled allocation: starts following the object (gen0, or LOH/POH by size or address).</summary>
    public void OnAllocation(in AttributedAllocation allocation)
    {
        if (allocation.Address == 0 || allocation.ObjectSize <= 0)
        {
            _untrackable++;
            return;
        }

        if (_objects.Remove(allocation.Address, out var previous))
        {
            // The address holds a new object, so the old one is gone: it died in a GC that did not tell us (for
            // example a gen0 GC that found it dead while we still thought it older). Report the free now.
            _replaced++;
            Free(previous, _lastGcNumber, allocation.TimestampMs);
        }

        if (_objects.Count >= _options.MaxTrackedObjects)
        {
            _droppedAtCapacity++;
            Publish();
            return;
        }

        int generation = allocation.ObjectSize >= Generations.LargeObjectThreshold
            ? Generations.Large
            : _lastLayout.Classify(allocation.Address) == Generations.Pinned ? Generations.Pinned : 0;
        var tracked = new TrackedObject(
            allocation.Address, allocation.GroupId, allocation.TypeName, allocation.ObjectSize, allocation.Weight, generation, _epoch);
        _objects.Add(tracked.Address, tracked);
        if (generation < 2)
        {
            _young.Add(tracked);
        }

        Publish();
    }

    public void OnGcStart(in GcStartEvent e)
    {
        _lastGcNumber = e.Number;
        long epoch = ++_epoch;
        var gc = new GcInProgress(e, epoch);
        if (e.Kind == GcKind.Background)
        {
            if (_background is { } stale)
            {
                // Its GCEnd never came. A true background GC does not move objects, so nothing needs forgetting; one
                // that reported moves was done as a blocking gen2 GC, and anything may have moved.
                stale.MarkUncertain("a new background GC started before this one ended");
                _uncertainGcs++;
                if (stale.HasMoves)
                {
                    ForgetCondemned(2);
                }
            }

            // A background GC condemns what is old when it starts; what gets promoted into gen2 during it is not condemned.
            gc.Condemned = [.. _objects.Values.Where(o => Generations.IsOld(o.Generation))];
            _background = gc;
        }
        else
        {
            if (_blocking is { } stale)
            {
                stale.MarkUncertain("a new GC started before this one ended");
                FinishBlocking(stale, e.TimestampMs);
            }

            if (_background is { } background)
            {
                background.ForegroundGcsDuring++;
            }

            _blockingGcThreads.Add(e.ThreadId);
            _blocking = gc;
        }
    }

    public void OnGcEnd(in GcEndEvent e)
    {
        if (_blocking is { } blocking && blocking.Number == e.Number)
        {
            _blocking = null;
            _blockingGcThreads.Add(e.ThreadId);
            FinishBlocking(blocking, e.TimestampMs);
        }
        else if (_background is { } background && background.Number == e.Number)
        {
            _background = null;
            if (background.ForegroundGcsDuring == 0 && IsBlockingGcThread(e.ThreadId, background)
                && background.ReporterThreads.All(t => IsBlockingGcThread(t, background)))
            {
                // Logged as background, but it ran start to end on the threads that do blocking GCs (the triggering
                // thread; server GC: the GC threads) with nothing in between: the runtime did it as a blocking gen2 GC
                // (seen on .NET 10 for GC.Collect(2, Forced, blocking: false), with moved or surviving ranges). Its
                // ranges then cover every generation, moves included: judge it as blocking.
                FinishBlocking(background, e.TimestampMs);
            }
            else
            {
                FinishBackground(background, e.TimestampMs);
            }
        }
        else
        {
            // A GC whose start we did not see (it began before the session, or the event was lost). It may have moved
            // anything it condemned: forget those objects rather than risk false frees later.
            _uncertainGcs++;
            ForgetCondemned(e.Depth);
            Publish();
        }
    }

    public void OnSurvivingRange(in SurvivingRangeEvent e)
    {
        if (RouteRange(e.ThreadId) is { } gc)
        {
            gc.Ranges.AddSurviving(e.RangeBase, e.RangeLength);
        }
    }

    public void OnMovedRange(in MovedRangeEvent e)
    {
        if (RouteRange(e.ThreadId) is { } gc)
        {
            gc.HasMoves = true;
            gc.Ranges.AddMoved(e.OldRangeBase, e.NewRangeBase, e.RangeLength);
        }
    }

    public void OnGenerationRange(in GenerationRangeEvent e)
    {
        // The layout belongs to the open blocking GC if any (its bursts come from its own thread), else to the
        // background GC (its "before" burst follows its GCStart on the user thread, its "after" burst comes from the BGC thread).
        var gc = _blocking ?? _background;
        gc?.AddGenerationRange(e);
    }

    /// <summary>
    /// EventPipe dropped events: any GC may have lost ranges or moves, so no tracked address can be trusted. Every
    /// object is forgotten (its bytes stay live) and the GCs in progress declare nothing dead.
    /// </summary>
    public void OnEventsLost(in EventsLostEvent e)
    {
        foreach (var obj in _objects.Values)
        {
            obj.Removed = true;
        }

        _forgotten += _objects.Count;
        _objects.Clear();
        _young = [];
        if (_blocking is not null)
        {
            _uncertainGcs++;
            _blocking = null;
        }

        if (_background is not null)
        {
            _uncertainGcs++;
            _background = null;
        }

        Publish();
    }

    private bool IsBlockingGcThread(int threadId, GcInProgress gc) =>
        threadId == gc.StartThreadId || _blockingGcThreads.Contains(threadId);

    private GcInProgress? RouteRange(int threadId)
    {
        if (_blocking is { } blocking)
        {
            if (_background is { } background)
            {
                if (background.ReporterThreads.Contains(threadId))
                {
                    return background;
                }

                if (!IsBlockingGcThread(threadId, blocking) && !blocking.ReporterThreads.Contains(threadId))
                {
                    // Neither a thread known to do blocking GCs nor a known BGC reporter: the range may belong to
                    // either GC, so neither may declare anything dead.
                    blocking.MarkUncertain($"range from thread {threadId} while a background GC was in progress");
                    background.MarkUncertain($"range from thread {threadId} inside blocking GC {blocking.Number}");
                }
            }
            else
            {
                _blockingGcThreads.Add(threadId);
            }

            blocking.ReporterThreads.Add(threadId);
            return blocking;
        }

        if (_background is { } bgc)
        {
            bgc.ReporterThreads.Add(threadId);
            return bgc;
        }

        _orphanRanges++;
        return null;
    }

    private void FinishBlocking(GcInProgress gc, double timestampMs)
    {
        if (gc.Ranges.Count == 0)
        {
            // Every condemned object dead is possible but rare; far likelier is that the ranges were not delivered.
            gc.MarkUncertain("no surviving or moved range");
        }

        bool full = gc.Depth >= 2;
        var candidates = full ? _objects.Values.ToList() : _young;
        var verdict = JudgeBlocking(gc, candidates, full, timestampMs);
        ApplyDeaths(verdict, gc.Number, timestampMs);
        ApplyMoves(verdict.Moved, gc.Number, timestampMs);
        _young = RebuildYoung(verdict.NextYoung, full ? _objects.Values : candidates, full, gc.StartEpoch);
        Close(gc);
    }

    /// <summary>What a blocking GC did to each candidate: moved (with its new address), dead, or forgotten.</summary>
    private sealed record BlockingVerdict(
        List<(TrackedObject Object, ulong NewAddress)> Moved,
        List<TrackedObject> Dead,
        List<TrackedObject> Forgotten,
        List<TrackedObject> NextYoung);

    private BlockingVerdict JudgeBlocking(GcInProgress gc, List<TrackedObject> candidates, bool full, double timestampMs)
    {
        var verdict = new BlockingVerdict([], [], [], new List<TrackedObject>(full ? 0 : candidates.Count));
        foreach (var obj in candidates)
        {
            if (obj.Removed)
            {
                continue;
            }

            if (obj.AllocationEpoch >= gc.StartEpoch)
            {
                // Sampled after this GC started: not this GC's business.
                if (!full)
                {
                    verdict.NextYoung.Add(obj);
                }

                continue;
            }

            // Where the object was when the GC started: the layout logged at its start says it best.
            int generation = gc.Before.Classify(obj.Address) ?? obj.Generation;
            if (gc.Ranges.TryFind(obj.Address, out ulong newAddress))
            {
                if (gc.Uncertain)
                {
                    verdict.Forgotten.Add(obj);
                }
                else
                {
                    obj.Generation = gc.After.Classify(newAddress) ?? Generations.AfterSurvival(generation);
                    verdict.Moved.Add((obj, newAddress));
                }
            }
            else if (Generations.IsCondemned(generation, gc.Depth))
            {
                (gc.Uncertain ? verdict.Forgotten : verdict.Dead).Add(obj);
            }
            else
            {
                // Not condemned (or demoted into an older generation than we thought): untouched by this GC.
                obj.Generation = gc.After.Classify(obj.Address) ?? generation;
                ReportGen2IfOld(obj, gc.Number, timestampMs);
            }
        }

        return verdict;
    }

    private void ApplyDeaths(BlockingVerdict verdict, int gcNumber, double timestampMs)
    {
        foreach (var obj in verdict.Dead)
        {
            Untrack(obj);
            Free(obj, gcNumber, timestampMs);
        }

        foreach (var obj in verdict.Forgotten)
        {
            Untrack(obj);
            _forgotten++;
        }
    }

    private void ApplyMoves(List<(TrackedObject Object, ulong NewAddress)> moved, int gcNumber, double timestampMs)
    {
        // Remove every mover from its old address before placing any at its new one: compaction slides objects over
        // addresses other movers just left.
        foreach (var (obj, _) in moved)
        {
            _objects.Remove(obj.Address);
        }

        foreach (var (obj, newAddress) in moved)
        {
            obj.Address = newAddress;
            if (_objects.Remove(newAddress, out var squatter))
            {
                // A tracked object sat where a survivor now is, and this GC did not report it: our record of it is
                // stale (it died earlier unseen, or moved unseen). Not sure which: forget it.
                squatter.Removed = true;
                _forgotten++;
            }

            _objects.Add(newAddress, obj);
            ReportGen2IfOld(obj, gcNumber, timestampMs);
        }
    }

    /// <summary>The young list after a GC: survivors still in gen0/gen1, plus (after a full GC) every young object.</summary>
    private static List<TrackedObject> RebuildYoung(List<TrackedObject> nextYoung, IEnumerable<TrackedObject> stillYoung, bool full, long startEpoch)
    {
        foreach (var obj in stillYoung)
        {
            if (!obj.Removed && obj.Generation < 2 && (full || obj.AllocationEpoch < startEpoch))
            {
                nextYoung.Add(obj);
            }
        }

        return nextYoung;
    }

    /// <summary>Ends a blocking GC's bookkeeping: the layout it left, and whether it counted or was uncertain.</summary>
    private void Close(GcInProgress gc)
    {
        if (!gc.After.IsEmpty)
        {
            _lastLayout = gc.After;
        }

        if (gc.Uncertain)
        {
            _uncertainGcs++;
            Volatile.Write(ref _lastUncertainReason, $"GC {gc.Number}: {gc.UncertainReason}");
        }
        else
        {
            _gcsProcessed++;
        }

        Publish();
    }

    private void FinishBackground(GcInProgress gc, double timestampMs)
    {
        if (gc.Ranges.Count == 0)
        {
            gc.MarkUncertain("no surviving range");
        }

        if (gc.HasMoves)
        {
            // A true background GC sweeps: moves mean ranges of another GC were taken for its own, or the runtime
            // compacted after all while other GCs ran. Addresses of what it condemned are no longer sure: forget them.
            gc.MarkUncertain("moved ranges in a background GC");
            Volatile.Write(ref _lastUncertainReason, $"GC {gc.Number}: {gc.UncertainReason}");
            foreach (var obj in gc.Condemned ?? [])
            {
                if (!obj.Removed)
                {
                    Untrack(obj);
                    _forgotten++;
                }
            }

            _uncertainGcs++;
            Publish();
            return;
        }

        // A background GC sweeps, it does not compact: the old objects it condemned are where they were at its start
        // (the ephemeral GCs in between do not touch gen2/LOH/POH). Its ranges also cover ephemeral survivors, but
        // those ranges are stale by the time they arrive (foreground GCs moved things since): they are not used.
        foreach (var obj in gc.Condemned ?? [])
        {
            if (obj.Removed)
            {
                continue;
            }

            if (gc.Ranges.TryFind(obj.Address, out _))
            {
                if (!gc.Uncertain)
                {
                    ReportGen2IfOld(obj, gc.Number, timestampMs);
                }
            }
            else if (!gc.Uncertain)
            {
                Untrack(obj);
                Free(obj, gc.Number, timestampMs);
            }
        }

        if (gc.Uncertain)
        {
            _uncertainGcs++;
            Volatile.Write(ref _lastUncertainReason, $"GC {gc.Number}: {gc.UncertainReason}");
        }
        else
        {
            _gcsProcessed++;
            _backgroundGcs++;
        }

        Publish();
    }

    private void ForgetCondemned(int depth)
    {
        var victims = _objects.Values.Where(o => Generations.IsCondemned(o.Generation, depth)).ToList();
        foreach (var obj in victims)
        {
            Untrack(obj);
            _forgotten++;
        }
    }

    private void Untrack(TrackedObject obj)
    {
        if (_objects.TryGetValue(obj.Address, out var current) && ReferenceEquals(current, obj))
        {
            _objects.Remove(obj.Address);
        }

        obj.Removed = true;
    }

    private void Free(TrackedObject obj, int gcNumber, double timestampMs)
    {
        obj.Removed = true;
        _frees++;
        _onFree(new AttributedFree(obj.GroupId, obj.TypeName, obj.Size, obj.Weight, obj.Address, gcNumber, timestampMs));
    }

    private void ReportGen2IfOld(TrackedObject obj, int gcNumber, double timestampMs)
    {
        if (!obj.ReportedGen2 && Generations.IsOld(obj.Generation))
        {
            obj.ReportedGen2 = true;
            _reachedGen2++;
            _onReachedGen2?.Invoke(new AttributedSurvival(obj.GroupId, obj.TypeName, obj.Size, obj.Weight, obj.Address, gcNumber, timestampMs));
        }
    }

    private void Publish() => Volatile.Write(ref _trackedCount, _objects.Count);
}
