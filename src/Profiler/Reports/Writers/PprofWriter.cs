using System.IO.Compression;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// pprof's gzipped <c>profile.proto</c> (github.com/google/pprof/blob/main/proto/profile.proto), read by
/// <c>go tool pprof</c>, Pyroscope and Grafana. Sample types <c>alloc_objects/count</c> and <c>alloc_space/bytes</c>
/// (plus <c>inuse_objects/count</c> and <c>inuse_space/bytes</c> when the report has live bytes); every sample has a
/// string label <c>group</c> (and a numeric <c>pid</c> when several processes were traced).
/// Values are unsampled: <c>alloc_space</c> is the estimated bytes, not the sampled ones. The report has no estimate
/// of object counts, so <c>alloc_objects</c> carries the number of allocation samples (a comment in the profile says so).
/// Live bytes are known per group, not per call path: they sit on one frame per group named <c>(live at the end)</c>.
/// </summary>
public sealed class PprofWriter : IReportWriter
{
    // profile.proto field numbers.
    private const int ProfileSampleType = 1, ProfileSample = 2, ProfileMapping = 3, ProfileLocation = 4, ProfileFunction = 5, ProfileStringTable = 6;
    private const int ProfileTimeNanos = 9, ProfileDurationNanos = 10, ProfileComment = 13, ProfileDefaultSampleType = 14;
    private const int ValueTypeType = 1, ValueTypeUnit = 2;
    private const int SampleLocationId = 1, SampleValue = 2, SampleLabel = 3;
    private const int LabelKey = 1, LabelStr = 2, LabelNum = 3;
    private const int MappingId = 1, MappingFilename = 5, MappingHasFunctions = 7;
    private const int LocationId = 1, LocationMappingId = 2, LocationLine = 4;
    private const int LineFunctionId = 1;
    private const int FunctionId = 1, FunctionName = 2, FunctionSystemName = 3, FunctionFilename = 4;

    public const string LiveFrame = "(live at the end)";

    public bool IsText => false;

    public void Write(AllocationReport report, Stream output)
    {
        var profile = Build(report);
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        profile.WriteTo(gzip);
    }

    private static ProtoBuffer Build(AllocationReport report)
    {
        var strings = new StringTable();
        var profile = new ProtoBuffer();
        bool live = report.Session.TrackFrees || report.Groups.Any(g => g.LiveBytes is not null);
        bool multiProcess = report.Groups.Select(g => g.ProcessId).Distinct().Count() > 1;
        (string Type, string Unit)[] sampleTypes = live
            ? [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")]
            : [("alloc_objects", "count"), ("alloc_space", "bytes")];
        foreach (var (type, unit) in sampleTypes)
        {
            var valueType = new ProtoBuffer();
            valueType.Int64(ValueTypeType, strings.Index(type));
            valueType.Int64(ValueTypeUnit, strings.Index(unit));
            profile.Message(ProfileSampleType, valueType);
        }

        // One function and one location per distinct frame (pprof needs no addresses for symbolized profiles).
        var locations = new Dictionary<FrameReport, ulong>();
        var functions = new List<(ulong Id, FrameReport Frame)>();
        ulong LocationOf(FrameReport frame)
        {
            if (!locations.TryGetValue(frame, out ulong id))
            {
                id = (ulong)locations.Count + 1;
                locations.Add(frame, id);
                functions.Add((id, frame));
            }

            return id;
        }

        foreach (var group in report.Groups)
        {
            foreach (var stack in GroupStacks.Of(group))
            {
                long[] values = live ? [stack.Samples, stack.EstimatedBytes, 0, 0] : [stack.Samples, stack.EstimatedBytes];
                profile.Message(ProfileSample, Sample(stack.Frames.Select(LocationOf), values, group, multiProcess, strings));
            }

            if (live && group.LiveBytes is long liveBytes && liveBytes > 0)
            {
                ulong location = LocationOf(new FrameReport(LiveFrame, null));
                profile.Message(ProfileSample, Sample([location], [0, 0, 0, liveBytes], group, multiProcess, strings));
            }
        }

        // One mapping for the traced process: the frames are already symbolized (has_functions), nothing to resolve.
        var mapping = new ProtoBuffer();
        mapping.Varint(MappingId, 1);
        mapping.Int64(MappingFilename, strings.Index(ReportFigures.ProcessName(report)));
        mapping.Varint(MappingHasFunctions, 1);
        profile.Message(ProfileMapping, mapping);

        foreach (var (id, frame) in functions)
        {
            var function = new ProtoBuffer();
            function.Varint(FunctionId, id);
            function.Int64(FunctionName, strings.Index(frame.Method));
            function.Int64(FunctionSystemName, strings.Index(frame.Method));
            if (frame.Module is not null)
            {
                function.Int64(FunctionFilename, strings.Index(frame.Module));
            }

            profile.Message(ProfileFunction, function);

            var line = new ProtoBuffer();
            line.Varint(LineFunctionId, id);
            var location = new ProtoBuffer();
            location.Varint(LocationId, id);
            location.Varint(LocationMappingId, 1);
            location.Message(LocationLine, line);
            profile.Message(ProfileLocation, location);
        }

        profile.Int64IfSet(ProfileTimeNanos, report.Session.StartedAt == default ? 0 : (report.Session.StartedAt.ToUnixTimeMilliseconds() * 1_000_000));
        profile.Int64IfSet(ProfileDurationNanos, (long)(report.Session.DurationSeconds * 1e9));
        profile.Int64(ProfileComment, strings.Index($"{report.Tool.Name} {report.Tool.Version}: alloc_space and inuse_space are estimated bytes (unsampled); alloc_objects counts allocation samples (no object-count estimate); sampling {report.Session.SamplingMode}, events lost {report.Session.EventsLost}."));
        profile.Int64(ProfileDefaultSampleType, strings.Index("alloc_space"));

        // The string table goes last: every index above was assigned while building.
        foreach (string s in strings.All)
        {
            profile.String(ProfileStringTable, s);
        }

        return profile;
    }

    private static ProtoBuffer Sample(IEnumerable<ulong> locationIds, long[] values, GroupReport group, bool multiProcess, StringTable strings)
    {
        var sample = new ProtoBuffer();
        sample.Packed(SampleLocationId, locationIds.Select(id => (long)id));
        sample.Packed(SampleValue, values);
        var label = new ProtoBuffer();
        label.Int64(LabelKey, strings.Index("group"));
        label.Int64(LabelStr, strings.Index(group.Name));
        sample.Message(SampleLabel, label);
        if (multiProcess)
        {
            var pid = new ProtoBuffer();
            pid.Int64(LabelKey, strings.Index("pid"));
            pid.Int64(LabelNum, group.ProcessId);
            sample.Message(SampleLabel, pid);
        }

        return sample;
    }

    /// <summary>profile.proto's string table: index 0 is the empty string; each string stored once.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal) { [string.Empty] = 0 };

        public List<string> All { get; } = [string.Empty];

        public long Index(string value)
        {
            if (!_index.TryGetValue(value, out long index))
            {
                index = All.Count;
                All.Add(value);
                _index.Add(value, index);
            }

            return index;
        }
    }
}
