using System.Text;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Names a request's group from its method and path, as <c>GET /orders/{id}</c>, when no route template learned from the
/// target matches it (<see cref="RouteTemplates"/>; ASP.NET Core's hosting events carry only the path): segments that
/// look like ids — numbers, GUIDs, long hex strings — are folded to <c>{id}</c>, so one group per endpoint, not one per
/// order. Both come from the target: the result is bounded and free of control characters.
/// </summary>
public static class EndpointName
{
    public const string IdSegment = "{id}";

    /// <summary>Segments kept; deeper paths end in <c>/…</c> so a crafted path cannot make unbounded names.</summary>
    public const int MaxSegments = 12;

    public const int MaxSegmentLength = 64;

    /// <summary>Hex runs at least this long count as ids (hashes, ObjectIds, hex-encoded keys).</summary>
    public const int MinHexIdLength = 8;

    public static string For(string method, string path)
    {
        var name = new StringBuilder(64);
        name.Append(Method(method)).Append(' ');
        int query = path.IndexOfAny(['?', '#']);
        string clean = query >= 0 ? path[..query] : path;
        var segments = clean.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return name.Append('/').ToString();
        }

        for (int i = 0; i < segments.Length; i++)
        {
            name.Append('/');
            if (i == MaxSegments)
            {
                name.Append('…');
                break;
            }

            string segment = segments[i];
            if (LooksLikeId(segment))
            {
                name.Append(IdSegment);
            }
            else
            {
                AppendSafe(name, segment.Length > MaxSegmentLength ? segment[..MaxSegmentLength] + "…" : segment);
            }
        }

        return name.ToString();
    }

    /// <summary>Numbers, GUIDs (any of their text forms) and hex runs of <see cref="MinHexIdLength"/> or more with a digit.</summary>
    public static bool LooksLikeId(string segment)
    {
        if (segment.Length == 0)
        {
            return false;
        }

        if (segment.All(char.IsAsciiDigit))
        {
            return true;
        }

        if (Guid.TryParse(segment, out _))
        {
            return true;
        }

        return segment.Length >= MinHexIdLength && segment.All(char.IsAsciiHexDigit) && segment.Any(char.IsAsciiDigit);
    }

    /// <summary>The method in upper case, or "?" for anything that is not a short run of letters (it comes from the target).</summary>
    internal static string Method(string method) =>
        method.Length is > 0 and <= 16 && method.All(char.IsAsciiLetter) ? method.ToUpperInvariant() : "?";

    private static void AppendSafe(StringBuilder name, string text)
    {
        foreach (char c in text)
        {
            name.Append(char.IsControl(c) ? '?' : c);
        }
    }
}
