using A3.Tests;

namespace A3.Runtime.Tests.Tokenization;

/// <summary>Real text from the shared fixtures, as lines to tokenize.</summary>
internal static class FixtureText
{
    /// <summary>Returns the first <paramref name="count"/> non-blank lines of a text fixture, without line endings (skips the test when it is absent).</summary>
    public static IReadOnlyList<string> Lines(string relativePath, int count) =>
        File.ReadLines(Fixtures.Require(relativePath))
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Trim().Length > 0)
            .Take(count)
            .ToList();

    /// <summary>Returns lines from WikiText-2 raw, PTB and TinyStories: capitals, digits, punctuation, leading spaces, non-ASCII.</summary>
    public static IReadOnlyList<(string Source, string Text)> Mixed() =>
        Lines("text/wikitext-2-raw/wiki.test.raw", 300).Select(t => ("wikitext-2-raw", t))
            .Concat(Lines("text/ptb/ptb.test.txt", 150).Select(t => ("ptb", t)))
            .Concat(TinyStoriesData.Stories().Take(50).Select(t => ("tinystories", t)))
            .ToList();
}
