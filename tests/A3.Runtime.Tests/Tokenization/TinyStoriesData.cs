using System.Text.Json;
using A3.Tests;

namespace A3.Runtime.Tests.Tokenization;

/// <summary>Loads the TinyStories validation text and the stories260K reference ids from the shared fixtures.</summary>
internal static class TinyStoriesData
{
    /// <summary>Returns the stories, each <c>Trim()</c>med, in file order (skips the test when the fixture is absent).</summary>
    public static IReadOnlyList<string> Stories()
    {
        var path = Fixtures.Require("text/tinystories/TinyStories-valid-first1000.txt");
        return File.ReadAllText(path)
            .Split("<|endoftext|>")
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }

    /// <summary>Returns the reference ids (BOS first, truncated to 512) of stories 0, 1 and 2 by story index.</summary>
    public static IReadOnlyDictionary<int, int[]> ReferenceIds()
    {
        var path = Fixtures.Require("reference/stories260K_tinystories_reference.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("stories").EnumerateArray().ToDictionary(
            s => s.GetProperty("index").GetInt32(),
            s => s.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }

    /// <summary>Builds <c>[BOS] + ids</c> truncated to the reference's 512-token window.</summary>
    public static int[] WithBosTruncated(int bos, IReadOnlyList<int> ids) => new[] { bos }.Concat(ids).Take(512).ToArray();
}
