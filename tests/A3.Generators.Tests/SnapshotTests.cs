using A3.Generators.Tests.Infrastructure;

namespace A3.Generators.Tests;

/// <summary>The generated source, compared with checked-in snapshots (<c>A3_UPDATE_SNAPSHOTS=1</c> rewrites them).</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void SampleRecipeWithRuntimeHasEveryFieldAndLoad()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample], withRuntime: true);

        Assert.Empty(run.Diagnostics);
        Snapshot.Match("Stories260kBudget02.WithRuntime", run.Sources["Stories260kBudget02.A3Recipe.g.cs"]);
    }

    [Fact]
    public void RatiosRecipeWithoutRuntimeHasOverridesAndNoLoad()
    {
        var run = GeneratorHarness.Run([TestRecipe.Ratios]);

        Assert.Empty(run.Diagnostics);
        Snapshot.Match("TinyLlamaRatios.WithoutRuntime", run.Sources["TinyLlamaRatios.A3Recipe.g.cs"]);
    }

    [Fact]
    public void SharedTypesAreTheRecipeEnumsAndTheOverrideType()
    {
        var run = GeneratorHarness.Run([TestRecipe.Sample]);

        Snapshot.Match("A3RecipeTypes", run.Sources["A3RecipeTypes.g.cs"]);
    }

    [Fact]
    public void OutputIsTheSameOnEveryRun()
    {
        var first = GeneratorHarness.Run([TestRecipe.Sample, TestRecipe.Ratios]).Sources;
        var second = GeneratorHarness.Run([TestRecipe.Ratios, TestRecipe.Sample]).Sources;

        Assert.Equal(first.OrderBy(p => p.Key), second.OrderBy(p => p.Key));
    }
}
