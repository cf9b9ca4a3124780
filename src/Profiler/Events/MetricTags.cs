using System.Text;

namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// Reads the <c>tags</c> field of the metrics EventSource's values: <c>key=value</c> pairs joined by commas, with no
/// escaping. A value may itself hold commas (a route template with <c>{id:range(1,10)}</c>): a piece that does not
/// start with a tag-like key (<c>[a-z0-9._]+=</c>) continues the previous value.
/// </summary>
internal static class MetricTags
{
    /// <summary>Tags kept at most: the text comes from the target.</summary>
    private const int MaxTags = 32;

    public static Dictionary<string, string> Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        var value = new StringBuilder();
        foreach (string piece in text.Split(','))
        {
            int equals = piece.IndexOf('=');
            if (equals > 0 && IsKey(piece.AsSpan(0, equals)))
            {
                Add(tags, key, value);
                key = piece[..equals];
                value.Clear().Append(piece, equals + 1, piece.Length - equals - 1);
            }
            else if (key is not null)
            {
                value.Append(',').Append(piece);
            }
        }

        Add(tags, key, value);
        return tags;
    }

    private static void Add(Dictionary<string, string> tags, string? key, StringBuilder value)
    {
        if (key is not null && tags.Count < MaxTags)
        {
            tags.TryAdd(key, value.ToString());
        }
    }

    private static bool IsKey(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
