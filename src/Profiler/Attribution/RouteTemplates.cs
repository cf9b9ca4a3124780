namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// The route templates learned so far (per HTTP method), and the best one for a request: of the templates that match
/// its path, the most specific by ASP.NET's precedence. Templates come from the target: at most
/// <see cref="MaxTemplates"/> are kept, longer than <see cref="MaxTemplateLength"/> are refused, and control characters
/// never reach a name.
/// </summary>
internal sealed class RouteTemplates
{
    public const int MaxTemplates = 500;

    public const int MaxTemplateLength = 300;

    /// <summary>Path segments looked at: a deeper path is matched on its first ones only, and matches no template exactly.</summary>
    private const int MaxPathSegments = 64;

    private readonly Dictionary<string, List<RouteTemplate>> _byMethod = new(StringComparer.Ordinal);
    private readonly HashSet<(string Method, string Template)> _known = [];

    public int Count => _known.Count;

    /// <summary>Templates refused: beyond the cap, too long, or empty.</summary>
    public long Refused { get; private set; }

    /// <summary>Learns (<paramref name="method"/>, <paramref name="template"/>); false when already known or refused.</summary>
    public bool Learn(string method, string template)
    {
        string key = EndpointName.Method(method);
        if (_known.Contains((key, template)))
        {
            return false;
        }

        if (template.Length is 0 or > MaxTemplateLength || _known.Count >= MaxTemplates)
        {
            Refused++;
            return false;
        }

        var parsed = RouteTemplate.Parse(template);
        _known.Add((key, template));
        if (!_byMethod.TryGetValue(key, out var list))
        {
            list = [];
            _byMethod[key] = list;
        }

        list.Add(parsed);
        return true;
    }

    /// <summary>The most specific learned template of <paramref name="method"/> that <paramref name="path"/> matches, or null.</summary>
    public RouteTemplate? Match(string method, string path)
    {
        if (!_byMethod.TryGetValue(EndpointName.Method(method), out var list))
        {
            return null;
        }

        var segments = Segments(path);
        RouteTemplate? best = null;
        foreach (var template in list)
        {
            if (template.Matches(segments) && (best is null || template.CompareSpecificity(best) < 0))
            {
                best = template;
            }
        }

        return best;
    }

    /// <summary>A group name for a template: <c>GET /users/by-name/{name}</c>.</summary>
    public static string Name(string method, RouteTemplate template) => EndpointName.Method(method) + " " + template.Text;

    private static string[] Segments(string path)
    {
        int query = path.IndexOfAny(['?', '#']);
        string clean = query >= 0 ? path[..query] : path;
        var segments = clean.Split('/', MaxPathSegments + 1, StringSplitOptions.RemoveEmptyEntries);
        return segments;
    }
}
