using System.CommandLine;
using System.CommandLine.Parsing;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>--group-by auto|groups|requests|activities[=SOURCE,...]</c>: what the report's groups are.</summary>
internal static class GroupByOption
{
    public sealed record Value(GroupByMode Mode, IReadOnlyList<string>? Sources);

    public static Option<Value> Create() => new("--group-by")
    {
        Description = "What the groups are: auto (default: groups if the target uses TrackingProfiler.Grouping, else requests if it runs ASP.NET Core, else activities), "
            + "groups (the Grouping library's), requests (one group per ASP.NET Core endpoint), activities[=SOURCE,...] (one group per Activity name of those ActivitySources, all by default).",
        DefaultValueFactory = _ => new Value(GroupByMode.Auto, null),
        CustomParser = Parse,
    };

    public static void Apply(ParseResult parse, Option<Value> option, ref SessionOptions options)
    {
        var value = parse.GetValue(option) ?? new Value(GroupByMode.Auto, null);
        options = options with { GroupBy = value.Mode, ActivitySources = value.Sources };
    }

    private static Value Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string mode = equals >= 0 ? text[..equals] : text;
        string? list = equals >= 0 ? text[(equals + 1)..] : null;
        switch (mode.ToLowerInvariant())
        {
            case "auto" when list is null:
                return new Value(GroupByMode.Auto, null);
            case "groups" when list is null:
                return new Value(GroupByMode.Groups, null);
            case "requests" when list is null:
                return new Value(GroupByMode.Requests, null);
            case "activities":
                var sources = list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (list is not null && (sources!.Length == 0 || sources.Any(s => s.Any(c => char.IsControl(c) || c is ':' or '[' or ']'))))
                {
                    result.AddError($"'{text}': give ActivitySource names after activities=, separated by commas.");
                    return new Value(GroupByMode.Activities, null);
                }

                return new Value(GroupByMode.Activities, sources);
            default:
                result.AddError($"'{text}' is not a grouping: use auto, groups, requests or activities[=SOURCE,...].");
                return new Value(GroupByMode.Auto, null);
        }
    }
}
