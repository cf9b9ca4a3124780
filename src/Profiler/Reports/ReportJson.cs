using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>The JSON form of <see cref="AllocationReport"/> (docs/report-format.md): camelCase, versioned.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Byte and count fields of a group: whole numbers, never negative, where present.</summary>
    private static readonly string[] s_groupCounts =
    [
        "allocatedBytes", "estimatedBytes", "estimatedBytesLow", "estimatedBytesHigh", "samples",
        "freedBytes", "liveBytes", "liveBytesLow", "liveBytesHigh", "gen2Bytes",
    ];

    private static readonly string[] s_sessionCounts = ["eventsLost", "eventsProcessed", "foreignActivitySamples"];

    public static string Serialize(AllocationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>
    /// Reads a report, failing with one clear line (a <see cref="ProfilerException"/> of kind
    /// <see cref="ProfilerErrorKind.Usage"/>) that names the field on anything malformed.
    /// </summary>
    public static AllocationReport Deserialize(string json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
            throw Invalid(sourceName, $"malformed or truncated JSON{where}");
        }

        using (document)
        {
            Validate(document.RootElement, sourceName);
            AllocationReport? report;
            try
            {
                report = document.RootElement.Deserialize<AllocationReport>(Options);
            }
            catch (JsonException e)
            {
                string where = e.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
                string what = e.Message.Split(" Path:", 2)[0].TrimEnd('.');
                throw Invalid(sourceName, $"{FieldName(e.Path)}{where} has the wrong type: {what}");
            }

            if (report?.Session is null || report.Tool is null || report.Groups is null)
            {
                throw Invalid(sourceName, "the report has a null 'session', 'tool' or 'groups'");
            }

            return report;
        }
    }

    private static void Validate(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "not a dotnet-alloctrack report (the JSON is not an object)");
        }

        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(source, "not a dotnet-alloctrack report (no schemaVersion)");
        }

        if (!version.TryGetInt32(out int v) || v != AllocationReport.CurrentSchemaVersion)
        {
            throw Invalid(source, $"report schema version {version} is not supported (this tool reads version {AllocationReport.CurrentSchemaVersion})");
        }

        if (!root.TryGetProperty("groups", out var groups) || groups.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, "the report has no 'groups' array");
        }

        if (root.TryGetProperty("session", out var session) && session.ValueKind == JsonValueKind.Object)
        {
            foreach (string field in s_sessionCounts)
            {
                Count(session, field, $"session.{field}", required: false, source);
            }
        }

        // Rows with the same name are summed by the gate: their sums must fit, or the report is corrupt. allocatedBytes
        // may be absent: exact bytes not measured (a pseudo-group, or a target without totals).
        var sums = new Dictionary<(string Name, string Field), long>();
        int index = 0;
        foreach (var group in groups.EnumerateArray())
        {
            string at = $"groups[{index.ToString(CultureInfo.InvariantCulture)}]";
            if (group.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, $"{at} is not an object");
            }

            if (!group.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(nameElement.GetString()))
            {
                throw Invalid(source, $"{at} has no name");
            }

            string name = nameElement.GetString()!;
            foreach (string field in s_groupCounts)
            {
                if (Count(group, field, $"{at}.{field}", required: false, source) is not long value)
                {
                    continue;
                }

                sums.TryGetValue((name, field), out long sum);
                if (value > long.MaxValue - sum)
                {
                    throw Invalid(source, $"the rows of group '{name}' add up to more than {long.MaxValue.ToString(CultureInfo.InvariantCulture)} in {field} (a corrupt report)");
                }

                sums[(name, field)] = sum + value;
            }

            index++;
        }
    }

    /// <summary>A whole, non-negative number, or null when absent (or JSON null) and not required.</summary>
    private static long? Count(JsonElement owner, string field, string path, bool required, string source)
    {
        if (!owner.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid(source, $"{path} is missing (a whole number of bytes is required)") : null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Invalid(source, $"{path} must be a whole number, not {value.ValueKind.ToString().ToLowerInvariant()} {Shorten(value.GetRawText())}");
        }

        if (!value.TryGetInt64(out long number))
        {
            string raw = value.GetRawText();
            throw Invalid(source, raw.IndexOfAny(['.', 'e', 'E']) >= 0
                ? $"{path} must be a whole number of bytes or events, not {Shorten(raw)}"
                : $"{path} does not fit in 64 bits ({Shorten(raw)})");
        }

        return number < 0 ? throw Invalid(source, $"{path} must not be negative ({number.ToString(CultureInfo.InvariantCulture)})") : number;
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";

    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "a value" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static ProfilerException Invalid(string source, string message) => new(ProfilerErrorKind.Usage, $"{source}: {message}.");
}
