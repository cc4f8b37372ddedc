using System;
using A3.Generators.Models;
using Microsoft.CodeAnalysis.Text;

namespace A3.Generators;

/// <summary>
/// Turns the parser's 1-based line and column into a span of the YAML text. The parser reports
/// where a key or value starts; the span runs to the end of that token on the same line (a quoted
/// scalar to its closing quote, a plain one up to <c>": "</c> or <c>" #"</c>), so the IDE underlines
/// the offending word rather than a single character.
/// </summary>
internal static class RecipeLocations
{
    /// <summary>Returns the location of the token starting at <paramref name="line"/>, <paramref name="column"/>.</summary>
    /// <param name="path">The recipe path.</param>
    /// <param name="text">The recipe text.</param>
    /// <param name="line">The 1-based line; clamped to the text.</param>
    /// <param name="column">The 1-based column; clamped to the line.</param>
    /// <returns>The location.</returns>
    public static LocationInfo At(string path, SourceText text, int line, int column)
    {
        if (text.Lines.Count == 0)
        {
            return new LocationInfo(path, 0, 0, 0, 0, 0, 0);
        }

        var textLine = text.Lines[Math.Min(Math.Max(line - 1, 0), text.Lines.Count - 1)];
        var content = text.ToString(textLine.Span);
        int startCharacter = Math.Min(Math.Max(column - 1, 0), content.Length);
        int endCharacter = TokenEnd(content, startCharacter);
        return new LocationInfo(
            path,
            textLine.Start + startCharacter,
            endCharacter - startCharacter,
            textLine.LineNumber,
            startCharacter,
            textLine.LineNumber,
            endCharacter);
    }

    /// <summary>Returns the location of the root <c>name</c> value, or of the file's start when it is not written on a line of its own.</summary>
    /// <param name="path">The recipe path.</param>
    /// <param name="text">The recipe text.</param>
    /// <returns>The location.</returns>
    public static LocationInfo OfName(string path, SourceText text)
    {
        foreach (var textLine in text.Lines)
        {
            var content = text.ToString(textLine.Span);
            if (content.StartsWith("name:", StringComparison.Ordinal))
            {
                int value = 5;
                while (value < content.Length && content[value] == ' ')
                {
                    value++;
                }

                return At(path, text, textLine.LineNumber + 1, value + 1);
            }
        }

        return At(path, text, 1, 1);
    }

    private static int TokenEnd(string line, int start)
    {
        if (start >= line.Length)
        {
            return start;
        }

        if (line[start] is '"' or '\'')
        {
            int close = line.IndexOf(line[start], start + 1);
            return close < 0 ? line.Length : close + 1;
        }

        int end = start;
        while (end < line.Length
            && !(line[end] == ':' && (end + 1 == line.Length || line[end + 1] == ' '))
            && !(line[end] == '#' && end > start && line[end - 1] == ' '))
        {
            end++;
        }

        while (end > start && char.IsWhiteSpace(line[end - 1]))
        {
            end--;
        }

        return end;
    }
}
