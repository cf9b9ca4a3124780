namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The top call paths of a group, bounded for the table and Markdown: a few paths, a few frames each.</summary>
public static class CallPathLines
{
    public const int MaxPaths = 3;

    public const int MaxFrames = 4;

    public const int MaxFrameWidth = 50;

    /// <summary>Groups that have call paths, with their first <see cref="MaxPaths"/> paths.</summary>
    public static IEnumerable<(GroupReport Group, IReadOnlyList<CallPathReport> Paths)> Of(AllocationReport report) =>
        report.Groups
            .Where(g => g.CallPaths is { Count: > 0 })
            .Select(g => (g, (IReadOnlyList<CallPathReport>)[.. g.CallPaths!.Take(MaxPaths)]));

    /// <summary>
    /// The path leaf first, <c>Alloc ← Caller ← …</c>, each frame as <c>Type.Method</c> (the full names are in JSON,
    /// HTML, speedscope and pprof) and made safe by <paramref name="escape"/>.
    /// </summary>
    public static string Frames(CallPathReport path, Func<string, int, string> escape)
    {
        var shown = path.Frames.Take(MaxFrames).Select(f => escape(ShortMethodName(f.Method), MaxFrameWidth));
        string more = path.Frames.Count > MaxFrames ? $" ← … (+{path.Frames.Count - MaxFrames} frames)" : string.Empty;
        return string.Join(" ← ", shown) + more;
    }

    /// <summary>
    /// Drops the namespace and generic arguments: <c>System.Threading.AsyncLocal`1[System.__Canon].set_Value</c> →
    /// <c>AsyncLocal`1.set_Value</c>; <c>Shop.Orders.Parser+&lt;Run&gt;d__7.MoveNext</c> → <c>Parser+&lt;Run&gt;d__7.MoveNext</c>.
    /// </summary>
    public static string ShortMethodName(string method)
    {
        var plain = new System.Text.StringBuilder(method.Length);
        int depth = 0;
        foreach (char c in method)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                plain.Append(c);
            }
        }

        string[] parts = plain.ToString().Split('.');
        return parts.Length <= 2 ? plain.ToString() : parts[^2] + "." + parts[^1];
    }
}
