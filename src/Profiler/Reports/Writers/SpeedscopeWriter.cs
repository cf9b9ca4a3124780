using System.Text.Json;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// speedscope's file format (https://www.speedscope.app/file-format-schema.json): one <c>sampled</c> profile per group
/// with allocation data, <c>unit: "bytes"</c>, each stack weighted by its estimated bytes; frames shared by all profiles.
/// Open it at speedscope.app or in a local speedscope; names are kept exactly (JSON).
/// </summary>
public sealed class SpeedscopeWriter : IReportWriter
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";

    public bool IsText => true;

    public void Write(AllocationReport report, Stream output)
    {
        var frames = new List<FrameReport>();
        var frameIndex = new Dictionary<FrameReport, int>();
        int IndexOf(FrameReport frame)
        {
            if (!frameIndex.TryGetValue(frame, out int index))
            {
                index = frames.Count;
                frames.Add(frame);
                frameIndex.Add(frame, index);
            }

            return index;
        }

        var profiles = new List<(string Name, long Total, List<int[]> Samples, List<long> Weights)>();
        foreach (var group in report.Groups)
        {
            var stacks = GroupStacks.Of(group);
            if (stacks.Count == 0)
            {
                continue;
            }

            // speedscope lists a sample's frames from the root to the leaf; the report keeps them leaf first.
            var samples = stacks.Select(s => s.Frames.Reverse().Select(IndexOf).ToArray()).ToList();
            profiles.Add((ProfileName(report, group), stacks.Sum(s => s.EstimatedBytes), samples, [.. stacks.Select(s => s.EstimatedBytes)]));
        }

        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("$schema", Schema);
        json.WriteString("name", $"dotnet-alloctrack {report.Session.Mode} pid {report.Session.TargetPid}: estimated allocated bytes per group");
        json.WriteString("exporter", $"{report.Tool.Name} {report.Tool.Version}");
        json.WriteNumber("activeProfileIndex", 0);
        json.WriteStartObject("shared");
        json.WriteStartArray("frames");
        foreach (var frame in frames)
        {
            json.WriteStartObject();
            json.WriteString("name", frame.Method);
            if (frame.Module is not null)
            {
                json.WriteString("file", frame.Module);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("profiles");
        foreach (var (name, total, samples, weights) in profiles)
        {
            json.WriteStartObject();
            json.WriteString("type", "sampled");
            json.WriteString("name", name);
            json.WriteString("unit", "bytes");
            json.WriteNumber("startValue", 0);
            json.WriteNumber("endValue", total);
            json.WriteStartArray("samples");
            foreach (int[] stack in samples)
            {
                json.WriteStartArray();
                foreach (int index in stack)
                {
                    json.WriteNumberValue(index);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("weights");
            foreach (long weight in weights)
            {
                json.WriteNumberValue(weight);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static string ProfileName(AllocationReport report, GroupReport group) =>
        report.Groups.Select(g => g.ProcessId).Distinct().Count() > 1 ? $"{group.Name} (pid {group.ProcessId})" : group.Name;
}
