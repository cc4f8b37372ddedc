using System;
using YamlDotNet.Core;

namespace A3.Recipes;

/// <summary>
/// Says in the recipe's terms what YamlDotNet's syntax errors mean (their text describes the scanner's state, not the
/// mistake), and where: a tab in an indentation is reported at the tab, which YamlDotNet reports at the line before.
/// </summary>
internal static class YamlSyntaxErrors
{
    /// <summary>Returns where the mistake is and the message (after <c>invalid YAML: </c>) for a syntax error in <paramref name="yamlText"/>.</summary>
    /// <param name="yamlText">The recipe text.</param>
    /// <param name="start">Where YamlDotNet stopped.</param>
    /// <param name="readerMessage">YamlDotNet's message without its position prefix.</param>
    public static (Mark Start, string Message) Explain(string yamlText, Mark start, string readerMessage)
    {
        // A tab where indentation is read derails the scanner at or just before its line, whatever it then says.
        if (FirstIndentingTab(yamlText) is { } tab && (tab.Line <= start.Line + 1 || Mentions(readerMessage, "tab character")))
        {
            return (tab, "a tab indents this line; YAML indents with spaces only, so replace the tab with spaces");
        }

        string? explanation =
            Mentions(readerMessage, "found invalid mapping") || Mentions(readerMessage, "mapping values are not allowed")
                ? "': ' inside a value starts a mapping where a value was expected: quote the value, or indent this key like the keys above it (with the same number of spaces)"
            : Mentions(readerMessage, "did not find expected key")
                ? "this line does not line up with the keys above it: the keys of one mapping start in the same column, and a nested mapping is indented further than its key"
            : Mentions(readerMessage, "did not find expected '-' indicator")
                ? "this item does not line up with the '- ' items above it: the items of one list start in the same column"
            : Mentions(readerMessage, "double-quoted scalar") || Mentions(readerMessage, "single-quoted scalar") || Mentions(readerMessage, "found unexpected end of stream")
                ? "a quote opened here is not closed on its line: close it, or remove it"
            : Mentions(readerMessage, "flow sequence") || Mentions(readerMessage, "flow mapping")
                ? "a '[' or '{' opened here is not closed: close it, or quote a value that starts with one"
            : Mentions(readerMessage, "cannot start any token")
                ? "a character that cannot start a YAML value ('@', '`', '%' or a tab): quote the value"
            : null;
        return (start, explanation is null ? readerMessage : $"{explanation} (the YAML reader says: {readerMessage})");
    }

    private static bool Mentions(string message, string text) => message.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>Returns the 1-based position of the first tab among a line's leading blanks, or <see langword="null"/>.</summary>
    private static Mark? FirstIndentingTab(string yamlText)
    {
        int line = 1;
        int lineStart = 0;
        for (int index = 0; index < yamlText.Length; index++)
        {
            char c = yamlText[index];
            if (c == '\n')
            {
                line++;
                lineStart = index + 1;
            }
            else if (c == '\t' && yamlText.Substring(lineStart, index - lineStart).Trim(' ').Length == 0)
            {
                return new Mark(index, line, index - lineStart + 1);
            }
        }

        return null;
    }
}
