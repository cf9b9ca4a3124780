using System.Text.Json;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>Limits for one group (or the default for every group). Any may be absent.</summary>
public sealed record GroupBudget(long? MaxAllocatedBytes, Threshold? MaxIncrease, long? MaxLiveBytes);

/// <summary>
/// A budget file (docs/ci-gate.md): per-group limits, absolute or relative to a baseline, in the spirit of
/// dotMemory Unit's <c>AssertTraffic</c>.
/// <code>
/// { "schemaVersion": 1,
///   "default": { "maxIncrease": "10%" },
///   "groups": { "orders/parse": { "maxAllocatedBytes": "2MB" }, "cache": { "maxLiveBytes": "32MB" } } }
/// </code>
/// Sizes are a number of bytes or a string such as "512KB"; <c>maxIncrease</c> is "5%" or a size.
/// </summary>
public sealed record Budget(GroupBudget? Default, IReadOnlyDictionary<string, GroupBudget> Groups)
{
    public const int CurrentSchemaVersion = 1;

    public GroupBudget? For(string name) => Groups.TryGetValue(name, out var budget) ? budget : Default;

    /// <summary>
    /// Reads a budget file, failing with one clear line (a <see cref="ProfilerException"/> of kind <see cref="ProfilerErrorKind.Usage"/>)
    /// on anything wrong, including a key given twice: JSON readers disagree on which one wins, so neither does.
    /// </summary>
    public static Budget Parse(string json, string sourceName)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(sourceName, "the budget must be a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || !version.TryGetInt32(out int v) || v != CurrentSchemaVersion)
            {
                throw Invalid(sourceName, $"'schemaVersion' must be {CurrentSchemaVersion}");
            }

            RejectDuplicates(root, "the budget", sourceName);
            GroupBudget? defaults = root.TryGetProperty("default", out var d) ? ParseGroup(d, "default", sourceName) : null;
            var groups = new Dictionary<string, GroupBudget>(StringComparer.Ordinal);
            if (root.TryGetProperty("groups", out var g))
            {
                if (g.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(sourceName, "'groups' must be an object of group name → limits");
                }

                RejectDuplicates(g, "'groups'", sourceName);
                foreach (var property in g.EnumerateObject())
                {
                    groups[property.Name] = ParseGroup(property.Value, property.Name, sourceName);
                }
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("schemaVersion" or "default" or "groups"))
                {
                    throw Invalid(sourceName, $"unknown field '{property.Name}'");
                }
            }

            return new Budget(defaults, groups);
        }
        catch (JsonException e)
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, $"{sourceName}: malformed or truncated JSON{(e.LineNumber is long line ? $" (line {line + 1})" : string.Empty)}.", e);
        }
    }

    private static GroupBudget ParseGroup(JsonElement element, string name, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"limits of '{name}' must be an object");
        }

        RejectDuplicates(element, $"the limits of '{name}'", source);
        long? maxAllocated = null, maxLive = null;
        Threshold? maxIncrease = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "maxAllocatedBytes":
                    maxAllocated = Size(property.Value, name, property.Name, source);
                    break;
                case "maxLiveBytes":
                    maxLive = Size(property.Value, name, property.Name, source);
                    break;
                case "maxIncrease":
                    string? text = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        _ => null,
                    };
                    maxIncrease = Threshold.TryParse(text, out var threshold)
                        ? threshold
                        : throw Invalid(source, $"'{name}'.maxIncrease must be a percentage (\"5%\") or a size (\"512KB\")");
                    break;
                default:
                    throw Invalid(source, $"unknown limit '{property.Name}' for '{name}' (use maxAllocatedBytes, maxIncrease, maxLiveBytes)");
            }
        }

        return new GroupBudget(maxAllocated, maxIncrease, maxLive);
    }

    private static long Size(JsonElement value, string group, string field, string source)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long bytes) && bytes >= 0)
        {
            return bytes;
        }

        if (value.ValueKind == JsonValueKind.String && ByteSize.TryParse(value.GetString(), out bytes))
        {
            return bytes;
        }

        throw Invalid(source, $"'{group}'.{field} must be a number of bytes or a size such as \"2MB\"");
    }

    private static void RejectDuplicates(JsonElement element, string where, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Invalid(source, $"{where} gives '{property.Name}' twice");
            }
        }
    }

    private static ProfilerException Invalid(string source, string message) => new(ProfilerErrorKind.Usage, $"{source}: {message}.");
}
