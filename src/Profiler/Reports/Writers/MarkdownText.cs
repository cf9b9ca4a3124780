using System.Text;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// Escapes untrusted text for a GitHub-flavoured Markdown table cell: it renders as the literal text, so a name can
/// neither break the table (a pipe or a newline), nor become a link, an image, emphasis, HTML or a mention.
/// </summary>
public static class MarkdownText
{
    /// <summary>Control characters neutralized (see <see cref="DisplayText"/>), every ASCII punctuation character
    /// backslash-escaped (CommonMark allows it for all of them), and <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> as entities.</summary>
    public static string Escape(string text, int maxWidth = int.MaxValue)
    {
        string safe = maxWidth == int.MaxValue ? DisplayText.Neutralize(text) : DisplayText.ForCell(text, maxWidth);
        var builder = new StringBuilder(safe.Length + 8);
        foreach (char c in safe)
        {
            switch (c)
            {
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '@':
                    // "\@" still pings on GitHub; an entity does not.
                    builder.Append("&#64;");
                    break;
                default:
                    if (char.IsAsciiLetterOrDigit(c) || c == ' ' || c > 0x7E)
                    {
                        builder.Append(c);
                    }
                    else
                    {
                        builder.Append('\\').Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
