namespace A3.Recipes.Tests;

/// <summary>Where an <c>A3Compress</c> item's model goes, relative to the output directory.</summary>
public sealed class OutputPathTests
{
    private static readonly Recipe Recipe = new() { Name = "stories260k-budget-0.2" };

    [Theory]
    [InlineData("", "a3/stories260k-budget-0.2")]
    [InlineData("  ", "a3/stories260k-budget-0.2")]
    [InlineData("models/tiny", "models/tiny")]
    [InlineData("models\\tiny\\", "models/tiny")]
    [InlineData("models//tiny/", "models/tiny")]
    public void RelativePathsAreNormalised(string metadata, string expected) =>
        Assert.Equal(expected, Recipe.ResolveOutputPath(metadata));

    [Theory]
    [InlineData("/opt/models")]
    [InlineData("\\models")]
    [InlineData("../outside")]
    [InlineData("models/../../outside")]
    [InlineData("./models")]
    [InlineData("/")]
    public void PathsLeavingTheOutputDirectoryAreRejected(string metadata) =>
        Assert.Null(Recipe.ResolveOutputPath(metadata));
}
