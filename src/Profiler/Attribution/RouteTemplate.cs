using System.Globalization;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// One ASP.NET Core route template (<c>/users/by-name/{name}</c>), parsed just enough to tell whether a request path
/// matches it and how specific it is. The syntax: literal segments (compared case-insensitively), <c>{p}</c>,
/// <c>{p:constraint}</c> (int, long, guid, bool, alpha, double, decimal, float, datetime, min, max, range, length,
/// minlength, maxlength are checked; others accepted), <c>{p?}</c> and <c>{p=default}</c> (may be absent), and
/// <c>{*p}</c>/<c>{**p}</c> (the rest of the path). Complex segments (<c>{a}.{b}</c>, <c>file-{x}</c>) never match:
/// requests of such routes keep their folded path. The template comes from the target: parse failures are not errors,
/// just templates that match nothing.
/// </summary>
internal sealed class RouteTemplate
{
    private readonly Segment[] _segments;

    private RouteTemplate(string text, Segment[] segments, bool matchable)
    {
        Text = text;
        _segments = segments;
        Matchable = matchable;
    }

    /// <summary>The template as learned, with a leading slash, control characters replaced (it ends up in names and tags).</summary>
    public string Text { get; }

    /// <summary>False when the template has a segment this matcher does not understand: it then matches nothing.</summary>
    public bool Matchable { get; }

    public static RouteTemplate Parse(string text)
    {
        string trimmed = text.StartsWith('~') ? text[1..] : text;
        string normalized = trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
        var parts = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = new Segment[parts.Length];
        bool matchable = true;
        for (int i = 0; i < parts.Length; i++)
        {
            segments[i] = Segment.Parse(parts[i]);
            matchable &= segments[i].Kind != SegmentKind.Complex
                && (segments[i].Kind != SegmentKind.CatchAll || i == parts.Length - 1);
        }

        // Only trailing segments may be left out: an optional one followed by a required one is not a template ASP.NET accepts.
        for (int i = 0; i < segments.Length - 1; i++)
        {
            matchable &= !segments[i].Optional || segments[i + 1].Optional || segments[i + 1].Kind == SegmentKind.CatchAll;
        }

        return new RouteTemplate(Clean(normalized), segments, matchable);
    }

    /// <summary>Whether <paramref name="pathSegments"/> (a request path split on '/', empty segments dropped) matches.</summary>
    public bool Matches(IReadOnlyList<string> pathSegments)
    {
        if (!Matchable)
        {
            return false;
        }

        for (int i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment.Kind == SegmentKind.CatchAll)
            {
                return true;
            }

            if (i >= pathSegments.Count)
            {
                return segment.Optional;
            }

            if (!segment.Accepts(pathSegments[i]))
            {
                return false;
            }
        }

        return pathSegments.Count == _segments.Length;
    }

    /// <summary>
    /// Negative when this template is more specific than <paramref name="other"/>: ASP.NET's inbound precedence, compared
    /// segment by segment from the left (literal, then constrained parameter, then parameter, then catch-all).
    /// </summary>
    public int CompareSpecificity(RouteTemplate other)
    {
        int length = Math.Max(_segments.Length, other._segments.Length);
        for (int i = 0; i < length; i++)
        {
            int mine = i < _segments.Length ? _segments[i].Rank : 0;
            int theirs = i < other._segments.Length ? other._segments[i].Rank : 0;
            if (mine != theirs)
            {
                return mine.CompareTo(theirs);
            }
        }

        return 0;
    }

    private static string Clean(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            span[i] = char.IsControl(source[i]) ? '?' : source[i];
        }
    });

    private enum SegmentKind
    {
        Literal,
        Parameter,
        CatchAll,
        Complex,
    }

    private readonly record struct Segment(SegmentKind Kind, string Literal, string[] Constraints, bool Optional)
    {
        /// <summary>Lower is more specific (ASP.NET's RoutePrecedence digits: literal 1, constrained 3, parameter 4, catch-all 5).</summary>
        public int Rank => Kind switch
        {
            SegmentKind.Literal => 1,
            SegmentKind.Parameter when Constraints.Length > 0 => 3,
            SegmentKind.Parameter => 4,
            _ => 5,
        };

        public static Segment Parse(string text)
        {
            if (!text.Contains('{') && !text.Contains('}'))
            {
                return new Segment(SegmentKind.Literal, text, [], false);
            }

            if (!IsWholeParameter(text))
            {
                return new Segment(SegmentKind.Complex, text, [], false);
            }

            string inner = text[1..^1];
            bool catchAll = inner.StartsWith('*');
            inner = inner.TrimStart('*');
            int colon = inner.IndexOf(':');
            string name = colon >= 0 ? inner[..colon] : inner;
            string constraintsText = colon >= 0 ? inner[(colon + 1)..] : string.Empty;
            bool optional = false;
            int equals = name.IndexOf('=');
            if (equals >= 0)
            {
                optional = true;
                name = name[..equals];
            }

            // Optional and defaults may also sit after the constraints: {id:int?}, {page:int=1}.
            int defaultAt = constraintsText.IndexOf('=');
            if (defaultAt >= 0 && !constraintsText[..defaultAt].Contains('('))
            {
                optional = true;
                constraintsText = constraintsText[..defaultAt];
            }

            if (name.EndsWith('?'))
            {
                optional = true;
                name = name[..^1];
            }

            if (constraintsText.EndsWith('?'))
            {
                optional = true;
                constraintsText = constraintsText[..^1];
            }

            if (name.Length == 0 || name.Contains('{') || name.Contains('}'))
            {
                return new Segment(SegmentKind.Complex, text, [], false);
            }

            if (catchAll)
            {
                return new Segment(SegmentKind.CatchAll, string.Empty, [], true);
            }

            string[] constraints = constraintsText.Length == 0 ? [] : SplitConstraints(constraintsText);
            return new Segment(SegmentKind.Parameter, string.Empty, constraints, optional);
        }

        // "{...}" and nothing else: the first closing brace outside a constraint's parentheses ends the segment.
        private static bool IsWholeParameter(string text)
        {
            if (text.Length < 3 || text[0] != '{' || text[1] == '{')
            {
                return false;
            }

            int depth = 0;
            for (int i = 1; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '(':
                        depth++;
                        break;
                    case ')':
                        depth = Math.Max(0, depth - 1);
                        break;
                    case '{' when depth == 0:
                        return false;
                    case '}' when depth == 0:
                        return i == text.Length - 1;
                }
            }

            return false;
        }

        public bool Accepts(string value) => Kind switch
        {
            SegmentKind.Literal => string.Equals(Literal, value, StringComparison.OrdinalIgnoreCase),
            SegmentKind.Parameter => value.Length > 0 && Constraints.All(c => ConstraintAccepts(c, value)),
            SegmentKind.CatchAll => true,
            _ => false,
        };

        // Constraints are separated by ':' outside parentheses (regex(a:b) keeps its colon).
        private static string[] SplitConstraints(string text)
        {
            var parts = new List<string>();
            int depth = 0, start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
                if (text[i] == ':' && depth == 0)
                {
                    parts.Add(text[start..i]);
                    start = i + 1;
                }
            }

            parts.Add(text[start..]);
            return [.. parts.Where(p => p.Length > 0)];
        }

        private static bool ConstraintAccepts(string constraint, string value)
        {
            int open = constraint.IndexOf('(');
            string name = (open >= 0 ? constraint[..open] : constraint).ToLowerInvariant();
            string[] args = open >= 0 && constraint.EndsWith(')') ? constraint[(open + 1)..^1].Split(',') : [];
            var inv = CultureInfo.InvariantCulture;
            return name switch
            {
                "int" => int.TryParse(value, NumberStyles.Integer, inv, out _),
                "long" => long.TryParse(value, NumberStyles.Integer, inv, out _),
                "guid" => Guid.TryParse(value, out _),
                "bool" => bool.TryParse(value, out _),
                "alpha" => value.All(char.IsAsciiLetter),
                "double" or "float" or "decimal" => double.TryParse(value, NumberStyles.Float, inv, out _),
                "datetime" => DateTime.TryParse(value, inv, DateTimeStyles.None, out _),
                "min" => Number(value) is long n && (Arg(args, 0) is not long min || n >= min),
                "max" => Number(value) is long n && (Arg(args, 0) is not long max || n <= max),
                "range" => Number(value) is long n && (Arg(args, 0) is not long lo || n >= lo) && (Arg(args, 1) is not long hi || n <= hi),
                "length" when args.Length == 2 => (Arg(args, 0) is not long lo || value.Length >= lo) && (Arg(args, 1) is not long hi || value.Length <= hi),
                "length" => Arg(args, 0) is not long exact || value.Length == exact,
                "minlength" => Arg(args, 0) is not long minLength || value.Length >= minLength,
                "maxlength" => Arg(args, 0) is not long maxLength || value.Length <= maxLength,
                _ => true, // regex, required, custom constraints: checked loosely (accepted)
            };
        }

        private static long? Number(string value) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;

        private static long? Arg(string[] args, int index) => index < args.Length ? Number(args[index].Trim()) : null;
    }
}
