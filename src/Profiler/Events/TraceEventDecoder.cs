using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using Microsoft.Diagnostics.Tracing.Session;
using TrackingProfiler.Profiler.Stacks;

namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// The edge between TraceEvent and the engine: turns TraceEvent objects into the project's records and hands them
/// to a sink. Works on a live <see cref="EventPipeEventSource"/> and on a recorded <c>.nettrace</c> file alike.
/// </summary>
internal sealed class TraceEventDecoder
{
    private static readonly Guid s_groupsProvider = TraceEventProviders.GetEventSourceGuidFromName(EventContract.SourceName);

    private readonly EventPipeEventSource _source;
    private readonly IProfilerEventSink _sink;
    private readonly bool _readStacks;
    private int _lastEventsLost;

    /// <param name="methods">When given, allocation samples keep their stacks and method/module events fill this map.</param>
    public TraceEventDecoder(EventPipeEventSource source, IProfilerEventSink sink, MethodAddressMap? methods = null)
    {
        _source = source;
        _sink = sink;
        if (methods is not null)
        {
            _readStacks = true;
            MethodEventDecoder.Subscribe(source, methods);
        }

        source.Dynamic.All += OnDynamicEvent;
        source.Clr.AllocationSampling += OnAllocationSampled;
        source.Clr.GCAllocationTick += OnAllocationTick;
        source.Clr.GCStart += OnGcStart;
        source.Clr.GCStop += OnGcStop;
        source.Clr.GCBulkSurvivingObjectRanges += OnSurvivingRanges;
        source.Clr.GCBulkMovedObjectRanges += OnMovedRanges;
        source.Clr.GCGenerationRange += OnGenerationRange;
    }

    /// <summary>Events decoded so far (all providers).</summary>
    public long EventsDecoded { get; private set; }

    /// <summary>The stream time of the latest event decoded, in ms since the session started.</summary>
    public double LastTimestampMs { get; private set; }

    /// <summary>Reports events lost since the last call; also called on every event so losses surface promptly.</summary>
    public void CheckEventsLost(double timestampMs)
    {
        int lost = _source.EventsLost;
        if (lost > _lastEventsLost)
        {
            _sink.OnEventsLost(new EventsLostEvent(timestampMs, lost - _lastEventsLost));
            _lastEventsLost = lost;
        }
    }

    private void Seen(TraceEvent data)
    {
        EventsDecoded++;
        LastTimestampMs = Math.Max(LastTimestampMs, data.TimeStampRelativeMSec);
        CheckEventsLost(data.TimeStampRelativeMSec);
    }

    private unsafe void OnDynamicEvent(TraceEvent data)
    {
        if (data.ProviderGuid != s_groupsProvider)
        {
            return;
        }

        Seen(data);
        switch ((int)data.ID)
        {
            case EventContract.GroupAllocated.Id when data.EventDataLength >= EventContract.GroupAllocated.PayloadSize:
                // Fixed layout (see EventContract): reading it raw avoids boxing the payload values of every event.
                byte* payload = (byte*)data.DataStart;
                _sink.OnGroupAllocated(new GroupAllocatedEvent(
                    data.TimeStampRelativeMSec,
                    data.ThreadID,
                    System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(payload + EventContract.GroupAllocated.GroupIdOffset),
                    System.Runtime.CompilerServices.Unsafe.ReadUnaligned<long>(payload + EventContract.GroupAllocated.AllocatedBytesOffset)));
                break;
            case EventContract.GroupRegistered.Id:
                _sink.OnGroupRegistered(new GroupRegisteredEvent(
                    data.TimeStampRelativeMSec,
                    data.ThreadID,
                    Convert.ToInt32(data.PayloadValue(EventContract.GroupRegistered.GroupIdIndex), System.Globalization.CultureInfo.InvariantCulture),
                    data.PayloadValue(EventContract.GroupRegistered.NameIndex) as string ?? string.Empty,
                    EventContract.DecodeTags(data.PayloadValue(EventContract.GroupRegistered.TagsIndex) as string)));
                break;
        }
    }

    private void OnAllocationSampled(AllocationSampledTraceData data)
    {
        Seen(data);
        _sink.OnAllocationSample(new AllocationSampleEvent(
            data.TimeStampRelativeMSec, data.ThreadID, SampleKind.Randomized, data.TypeName ?? "?", data.Address, data.ObjectSize, 0, data.ActivityID, ReadStack(data)));
    }

    private void OnAllocationTick(GCAllocationTickTraceData data)
    {
        Seen(data);
        long amount = data.AllocationAmount64 != 0 ? data.AllocationAmount64 : data.AllocationAmount;
        _sink.OnAllocationSample(new AllocationSampleEvent(
            data.TimeStampRelativeMSec, data.ThreadID, SampleKind.Tick, data.TypeName ?? "?", data.Address, data.ObjectSize, amount, data.ActivityID, ReadStack(data)));
    }

    private ulong[]? ReadStack(TraceEvent data) => _readStacks ? EventStackReader.Read(data) : null;

    private void OnGcStart(GCStartTraceData data)
    {
        Seen(data);
        _sink.OnGcStart(new GcStartEvent(data.TimeStampRelativeMSec, data.ThreadID, data.Count, data.Depth, (GcKind)(int)data.Type));
    }

    private void OnGcStop(GCEndTraceData data)
    {
        Seen(data);
        _sink.OnGcEnd(new GcEndEvent(data.TimeStampRelativeMSec, data.ThreadID, data.Count, data.Depth));
    }

    private void OnSurvivingRanges(GCBulkSurvivingObjectRangesTraceData data)
    {
        Seen(data);
        for (int i = 0; i < data.Count; i++)
        {
            var range = data.Values(i);
            _sink.OnSurvivingRange(new SurvivingRangeEvent(data.TimeStampRelativeMSec, data.ThreadID, range.RangeBase, range.RangeLength));
        }
    }

    private void OnMovedRanges(GCBulkMovedObjectRangesTraceData data)
    {
        Seen(data);
        for (int i = 0; i < data.Count; i++)
        {
            var range = data.Values(i);
            _sink.OnMovedRange(new MovedRangeEvent(data.TimeStampRelativeMSec, data.ThreadID, range.OldRangeBase, range.NewRangeBase, range.RangeLength));
        }
    }

    private void OnGenerationRange(GCGenerationRangeTraceData data)
    {
        Seen(data);
        _sink.OnGenerationRange(new GenerationRangeEvent(data.TimeStampRelativeMSec, data.ThreadID, data.Generation, data.RangeStart, data.RangeUsedLength));
    }
}
