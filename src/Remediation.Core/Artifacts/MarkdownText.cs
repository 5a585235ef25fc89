using System.Text;

namespace Remediation.Artifacts;

/// <summary>
/// Makes text a request or a target supplied (a reason, a name, a log line, a query, an error) safe to put inside a line of
/// markdown: it renders as the same characters and can neither open HTML, a link or image, emphasis, a code span or a
/// table cell, nor end the line and start a block of its own.
/// </summary>
public static class MarkdownText
{
    /// <summary>Text as inline markdown on one line.</summary>
    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var md = new StringBuilder(text.Length + 16);
        bool space = false;
        foreach (char c in text.Trim())
        {
            // Every line or paragraph separator (including U+2028/2029 and NEL) and every other control character
            // becomes one space: nothing supplied can start a heading, a list, a quote, a fence or a table row.
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                space = true;
                continue;
            }

            if (space)
            {
                md.Append(' ');
                space = false;
            }

            switch (c)
            {
                // Entities rather than backslashes: HTML stays text even in renderers that ignore markdown escapes.
                case '<':
                    md.Append("&lt;");
                    break;
                case '>':
                    md.Append("&gt;");
                    break;
                case '&':
                    md.Append("&amp;");
                    break;
                // Links and images need '[' and ']', so '(' and '!' stay as they are; block syntax ('#', '>', '-') needs
                // the start of a line, which supplied text never has.
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~':
                    md.Append('\\').Append(c);
                    break;
                default:
                    md.Append(c);
                    break;
            }
        }

        return md.ToString();
    }

    /// <summary>Text as a code span; the fence is longer than any run of backticks inside, so the span cannot be closed early.</summary>
    public static string Code(string? text)
    {
        string line = string.Join(' ', (text ?? "").Split(['\r', '\n', '\u2028', '\u2029', '\u0085'], StringSplitOptions.RemoveEmptyEntries));
        int longest = 0, run = 0;
        foreach (char c in line)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        string fence = new('`', longest + 1);
        string pad = line.StartsWith('`') || line.EndsWith('`') ? " " : "";
        return fence + pad + line + pad + fence;
    }
}
