using A3.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace A3.Generators.Tests;

/// <summary>The pipeline's value-equatable models let the driver skip recipe work that nothing changed.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] RecipeSteps = [TrackingNames.RecipeFiles, TrackingNames.RecipeModels, TrackingNames.Settings, TrackingNames.Plan];

    [Fact]
    public void EditingAnUnrelatedCSharpFileDoesNotRerunTheRecipeSteps()
    {
        var compilation = GeneratorHarness.CreateCompilation(withRuntime: false, sources: ["namespace Contoso.App { internal static class Program { } }"]);
        var driver = GeneratorHarness.CreateDriver([TestRecipe.Sample, TestRecipe.Ratios]).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From("namespace Contoso.App { internal static class Program { static int x; } }")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in RecipeSteps)
        {
            Assert.All(Outputs(result, step), reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }

        // The only step the edit reaches re-ran (the compilation is new) and found the same answer.
        Assert.Equal([IncrementalStepRunReason.Unchanged], Outputs(result, TrackingNames.RuntimeReference));
        Assert.Equal(2, Outputs(result, TrackingNames.RecipeModels).Count);
    }

    [Fact]
    public void EditingARecipeRerunsItsStepsOnly()
    {
        var compilation = GeneratorHarness.CreateCompilation(withRuntime: false, sources: ["namespace Contoso.App { }"]);
        var driver = GeneratorHarness.CreateDriver([TestRecipe.Sample, TestRecipe.Ratios], out var files).RunGenerators(compilation);
        var sample = files[TestRecipe.Sample.Path];

        var edited = new InMemoryAdditionalText(sample.Path, TestRecipe.Sample.Text.Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));
        var result = driver.ReplaceAdditionalText(sample, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal(
            [IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached],
            Outputs(result, TrackingNames.RecipeModels).Order());
        Assert.Equal([IncrementalStepRunReason.Modified], Outputs(result, TrackingNames.Plan));
        Assert.Contains("public static double? Budget { get; } = 0.3;", result.GeneratedSources.Single(s => s.HintName == "Stories260kBudget02.A3Recipe.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ACommentOnlyRecipeEditStopsAtTheEqualModel()
    {
        var compilation = GeneratorHarness.CreateCompilation(withRuntime: false, sources: ["namespace Contoso.App { }"]);
        var driver = GeneratorHarness.CreateDriver([TestRecipe.Sample], out var files).RunGenerators(compilation);
        var sample = files[TestRecipe.Sample.Path];

        var commented = new InMemoryAdditionalText(sample.Path, TestRecipe.Sample.Text + "\n# a new comment at the end\n");
        var result = driver.ReplaceAdditionalText(sample, commented).RunGenerators(compilation).GetRunResult().Results.Single();

        // The text changed, so the file is read and parsed again; the model is equal, so nothing after it runs.
        Assert.Equal([IncrementalStepRunReason.Modified], Outputs(result, TrackingNames.RecipeFiles));
        Assert.Equal([IncrementalStepRunReason.Unchanged], Outputs(result, TrackingNames.RecipeModels));
        Assert.Equal([IncrementalStepRunReason.Cached], Outputs(result, TrackingNames.Plan));
    }

    private static IReadOnlyList<IncrementalStepRunReason> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
}
