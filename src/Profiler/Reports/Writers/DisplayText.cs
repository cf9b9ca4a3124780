using System.Globalization;
using System.Text;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// Makes untrusted text (group names, tags, type and method names, process names: they all come from the target)
/// safe to show on a terminal or in a document: control characters cannot move the cursor, retitle the terminal,
/// break a line or reorder text, and one long name cannot widen every row.
/// </summary>
public static class DisplayText
{
    /// <summary>What a neutralized character is shown as.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>The widest a name is shown in a table (text elements); longer names end with an ellipsis.</summary>
    public const int MaxNameWidth = 60;

    /// <summary>
    /// Replaces every character that could act instead of being shown: C0 controls (ESC, BEL, CR, LF, TAB, …), DEL,
    /// C1 controls (including the 8-bit CSI and OSC), the line and paragraph separators, and the bidirectional
    /// embeddings, overrides and isolates that reorder what follows them (Trojan Source).
    /// </summary>
    public static string Neutralize(string text)
    {
        int first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            builder.Append(IsUnsafe(text[i]) ? Replacement : text[i]);
        }

        return builder.ToString();
    }

    /// <summary><see cref="Neutralize"/>, then at most <paramref name="maxWidth"/> text elements, with "…" when cut.</summary>
    public static string ForCell(string text, int maxWidth = MaxNameWidth)
    {
        string safe = Neutralize(text);
        if (safe.Length <= maxWidth)
        {
            return safe;
        }

        // Count and cut in text elements, so that no surrogate pair or combining sequence is split.
        var info = new StringInfo(safe);
        return info.LengthInTextElements <= maxWidth ? safe : info.SubstringByTextElements(0, maxWidth - 1) + "…";
    }

    public static bool IsUnsafe(char c) =>
        c < 0x20 || (c >= 0x7F && c <= 0x9F)
        || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
