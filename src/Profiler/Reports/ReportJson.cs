using System.Text.Json;
using System.Text.Json.Serialization;

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

    public static string Serialize(AllocationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report, failing with one clear <see cref="InvalidDataException"/> line on anything malformed.</summary>
    public static AllocationReport Deserialize(string json, string sourceName)
    {
        AllocationReport? report;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{sourceName}: not a dotnet-alloctrack report (the JSON is not an object).");
            }

            if (!document.RootElement.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException($"{sourceName}: not a dotnet-alloctrack report (no schemaVersion).");
            }

            if (!version.TryGetInt32(out int v) || v != AllocationReport.CurrentSchemaVersion)
            {
                throw new InvalidDataException($"{sourceName}: report schema version {version} is not supported (this tool reads version {AllocationReport.CurrentSchemaVersion}).");
            }

            if (!document.RootElement.TryGetProperty("groups", out var groups) || groups.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{sourceName}: the report has no 'groups' array.");
            }

            report = document.RootElement.Deserialize<AllocationReport>(Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
            throw new InvalidDataException($"{sourceName}: malformed or truncated JSON{where}.", e);
        }

        if (report is null)
        {
            throw new InvalidDataException($"{sourceName}: empty report.");
        }

        if (report.Session is null || report.Tool is null || report.Groups is null)
        {
            throw new InvalidDataException($"{sourceName}: the report has a null 'session', 'tool' or 'groups'.");
        }

        foreach (var group in report.Groups)
        {
            if (group is null || string.IsNullOrEmpty(group.Name))
            {
                throw new InvalidDataException($"{sourceName}: a group has no name.");
            }
        }

        return report;
    }
}
