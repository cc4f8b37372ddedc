using System.Text.RegularExpressions;

namespace A3.Tests;

/// <summary>
/// Reads recipes checked into the repository. Their model and data paths are relative and reach the
/// fixtures through <c>../shared/fixtures</c> beside the checkout, which is only where
/// <see cref="Fixtures.Root"/> is when <c>A3_FIXTURES</c> is unset and the checkout sits beside
/// <c>shared/</c>.
/// </summary>
internal static partial class CheckedInRecipes
{
    private static readonly string DefaultFixturesRoot = Path.GetFullPath(Path.Combine(Fixtures.RepositoryRoot, "..", "shared", "fixtures"));

    /// <summary>
    /// Returns the text of the recipe at <paramref name="recipePath"/> with each relative path that
    /// reaches the fixtures folder beside the repository pointing at the same file under
    /// <see cref="Fixtures.Root"/> instead. A path that climbs the wrong number of folders is left as
    /// it is, so a recipe that is wrong for a checkout beside <c>shared/</c> still fails its file checks.
    /// </summary>
    public static string ReadWithFixturePaths(string recipePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(recipePath))!;
        return FixturePrefix().Replace(
            File.ReadAllText(recipePath),
            match => Path.GetFullPath(Path.Combine(folder, match.Value)) == DefaultFixturesRoot ? Fixtures.Root : match.Value);
    }

    // Only the climbing prefix is rewritten: the rest of the path names the fixture.
    [GeneratedRegex(@"(?:\.\./)+shared/fixtures(?=/)")]
    private static partial Regex FixturePrefix();
}
