using System.IO.Compression;
using Google.Protobuf;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Profiler.Tests.Reports;

/// <summary>
/// The pprof output read back with Google.Protobuf's wire reader, following profile.proto's field numbers — not with
/// any code of the writer — and checked for sample types, labels and totals.
/// </summary>
public class PprofWriterTests
{
    private sealed record Sample(ulong[] LocationIds, long[] Values, Dictionary<string, string> Labels, Dictionary<string, long> NumLabels);

    private sealed record Profile(List<(string Type, string Unit)> SampleTypes, List<Sample> Samples, Dictionary<ulong, string> LocationNames, Dictionary<ulong, string> LocationFiles, List<string> Comments, string DefaultSampleType);

    private static Profile Read(AllocationReport report)
    {
        using var file = new MemoryStream();
        ReportWriters.For(ReportFormat.Pprof).Write(report, file);
        byte[] gz = file.ToArray();
        Assert.Equal(0x1f, gz[0]); // gzip magic
        Assert.Equal(0x8b, gz[1]);
        using var unzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        unzip.CopyTo(raw);
        return Decode(raw.ToArray());
    }

    private static Profile Decode(byte[] bytes)
    {
        var strings = new List<string>();
        var sampleTypes = new List<(long, long)>();
        var samples = new List<(ulong[] Locations, long[] Values, List<(long Key, long Str, long Num)> Labels)>();
        var locationFunction = new Dictionary<ulong, ulong>();
        var functions = new Dictionary<ulong, (long Name, long File)>();
        var comments = new List<long>();
        long defaultType = 0;
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: sampleTypes.Add(ValueType(input.ReadBytes())); break;
                case 2: samples.Add(ReadSample(input.ReadBytes())); break;
                case 4: var (id, function) = ReadLocation(input.ReadBytes()); locationFunction[id] = function; break;
                case 5: var f = ReadFunction(input.ReadBytes()); functions[f.Id] = (f.Name, f.File); break;
                case 6: strings.Add(input.ReadString()); break;
                case 13: comments.Add(input.ReadInt64()); break;
                case 14: defaultType = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }

        Assert.Equal(string.Empty, strings[0]); // profile.proto: string_table[0] must be ""
        return new Profile(
            [.. sampleTypes.Select(t => (strings[(int)t.Item1], strings[(int)t.Item2]))],
            [.. samples.Select(s => new Sample(s.Locations, s.Values,
                s.Labels.Where(l => l.Str != 0).ToDictionary(l => strings[(int)l.Key], l => strings[(int)l.Str]),
                s.Labels.Where(l => l.Str == 0).ToDictionary(l => strings[(int)l.Key], l => l.Num)))],
            locationFunction.ToDictionary(l => l.Key, l => strings[(int)functions[l.Value].Name]),
            locationFunction.ToDictionary(l => l.Key, l => strings[(int)functions[l.Value].File]),
            [.. comments.Select(c => strings[(int)c])],
            strings[(int)defaultType]);
    }

    private static (long Type, long Unit) ValueType(ByteString bytes)
    {
        long type = 0, unit = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: type = input.ReadInt64(); break;
                case 2: unit = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (type, unit);
    }

    private static (ulong[], long[], List<(long, long, long)>) ReadSample(ByteString bytes)
    {
        var locations = new List<ulong>();
        var values = new List<long>();
        var labels = new List<(long, long, long)>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: locations.AddRange(Packed(input.ReadBytes()).Select(v => (ulong)v)); break;
                case 2: values.AddRange(Packed(input.ReadBytes())); break;
                case 3:
                    long key = 0, str = 0, num = 0;
                    var label = input.ReadBytes().CreateCodedInput();
                    uint labelTag;
                    while ((labelTag = label.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(labelTag))
                        {
                            case 1: key = label.ReadInt64(); break;
                            case 2: str = label.ReadInt64(); break;
                            case 3: num = label.ReadInt64(); break;
                            default: label.SkipLastField(); break;
                        }
                    }

                    labels.Add((key, str, num));
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return ([.. locations], [.. values], labels);
    }

    private static List<long> Packed(ByteString bytes)
    {
        var values = new List<long>();
        var input = bytes.CreateCodedInput();
        while (!input.IsAtEnd)
        {
            values.Add(input.ReadInt64());
        }

        return values;
    }

    private static (ulong Id, ulong Function) ReadLocation(ByteString bytes)
    {
        ulong id = 0, function = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: id = input.ReadUInt64(); break;
                case 4:
                    var line = input.ReadBytes().CreateCodedInput();
                    uint lineTag;
                    while ((lineTag = line.ReadTag()) != 0)
                    {
                        if (WireFormat.GetTagFieldNumber(lineTag) == 1)
                        {
                            function = line.ReadUInt64();
                        }
                        else
                        {
                            line.SkipLastField();
                        }
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }

        return (id, function);
    }

    private static (ulong Id, long Name, long File) ReadFunction(ByteString bytes)
    {
        ulong id = 0;
        long name = 0, file = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: id = input.ReadUInt64(); break;
                case 2: name = input.ReadInt64(); break;
                case 4: file = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (id, name, file);
    }

    [Fact]
    public void SampleTypes_AreAllocObjectsAndSpace_WithoutLiveBytes()
    {
        var profile = Read(ReportSamples.WithCallPaths());
        Assert.Equal([("alloc_objects", "count"), ("alloc_space", "bytes")], profile.SampleTypes);
        Assert.Equal("alloc_space", profile.DefaultSampleType);
        Assert.Contains(profile.Comments, c => c.Contains("estimated bytes (unsampled)", StringComparison.Ordinal));
    }

    [Fact]
    public void EverySample_HasAGroupLabel_AndTotalsMatchTheReport()
    {
        var report = ReportSamples.WithCallPaths();
        var profile = Read(report);
        Assert.All(profile.Samples, s => Assert.True(s.Labels.ContainsKey("group")));
        Assert.All(profile.Samples, s => Assert.Equal(2, s.Values.Length));
        foreach (var group in report.Groups.Where(g => g.Samples > 0))
        {
            var mine = profile.Samples.Where(s => s.Labels["group"] == group.Name).ToList();
            Assert.Equal(group.EstimatedBytes, mine.Sum(s => s.Values[1]));
            Assert.Equal(group.Samples, mine.Sum(s => s.Values[0]));
        }

        Assert.Equal(report.Groups.Sum(g => g.EstimatedBytes), profile.Samples.Sum(s => s.Values[1]));
    }

    [Fact]
    public void Stacks_AreLeafFirst_WithMethodAndModuleNames()
    {
        var profile = Read(ReportSamples.WithCallPaths());
        var first = profile.Samples.First(s => s.Labels["group"] == "orders/parse");
        Assert.Equal(["Shop.Orders.Parser.Parse", "Shop.Orders.Handler.HandleAsync", "Shop.Program.Main"], first.LocationIds.Select(id => profile.LocationNames[id]));
        Assert.Equal("Shop.dll", profile.LocationFiles[first.LocationIds[0]]);
        Assert.Equal(2_000_000, first.Values[1]);
    }

    [Fact]
    public void LiveBytes_AddInuseSampleTypes_OnTheirOwnFrame()
    {
        var report = ReportSamples.WithCallPaths(frees: true);
        var profile = Read(report);
        Assert.Equal([("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")], profile.SampleTypes);
        var live = profile.Samples.Where(s => s.Values[3] > 0).ToList();
        Assert.Equal(400_000, live.Sum(s => s.Values[3]));
        Assert.All(live, s => Assert.Equal(PprofWriter.LiveFrame, profile.LocationNames[s.LocationIds.Single()]));
        Assert.Equal(report.Groups.Sum(g => g.EstimatedBytes), profile.Samples.Sum(s => s.Values[1]));
    }

    [Fact]
    public void SeveralProcesses_AddANumericPidLabel()
    {
        var report = ReportSamples.Plain();
        report = report with { Groups = [report.Groups[0], report.Groups[1] with { ProcessId = 43 }] };
        var profile = Read(report);
        Assert.Equal([42L, 43L], profile.Samples.Select(s => s.NumLabels["pid"]).Distinct().Order());
    }

    [Fact]
    public void GroupNames_AreKeptExactly()
    {
        var profile = Read(ReportSamples.Hostile());
        Assert.Equal(ReportSamples.HostileNames.Order(StringComparer.Ordinal), profile.Samples.Select(s => s.Labels["group"]).Distinct().Order(StringComparer.Ordinal));
    }
}
