using A3.Compression.Recipes;
using A3.Compression.Tests.Recipes;
using A3.Runtime.Reporting;

namespace A3.Compression.Tests.Search;

/// <summary>
/// The search allocation through the recipe entry point on the stories260K fixture, with the small recipe's
/// quick settings: 4 selection windows of 96 tokens, 4 levels per component, at most 8 plans.
/// </summary>
public sealed class SearchAllocationTests : IDisposable
{
    private const string Search = "budget: 0.2\n  allocation: search";

    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public void A_search_meets_the_budget_and_reports_its_objective_predicted_and_measured()
    {
        var recipe = run.WriteRecipe(Search);

        var result = run.Compress(recipe, "out");

        var report = result.Report;
        Assert.Equal("budget 0.2 (search)", report.Target);
        Assert.True(report.DecoderRemovedFraction >= 0.2, $"removed {report.DecoderRemovedFraction}");
        Assert.True(report.DecoderRemovedFraction < 0.25, $"removed {report.DecoderRemovedFraction}");
        var allocation = Assert.IsType<AllocationReport>(report.Allocation);
        Assert.Equal(("search", "kl", 4L * 96), (allocation.Allocator, allocation.Objective, allocation.SelectionTokens));
        Assert.InRange(allocation.Predicted, 1e-6, 5);
        Assert.InRange(allocation.Measured, 1e-6, 5);
        var facts = Assert.IsType<AllocationRunFacts>(result.RunFacts!.Allocation);
        Assert.False(facts.SensitivitiesReused);
        // Every level but the full one of QK, OV and MLP (4 each), plus the unchanged layer, in each of 5 layers.
        Assert.Equal(5 * (4 + 4 + 4 - 2), facts.Measurements);
        Assert.InRange(facts.Evaluations, 1, 8);
        Assert.Equal(report.Allocation, CompressionReportFile.ReadFromModelFolder(run.Output("out")).Allocation);
    }

    [SkippableFact]
    public void Two_runs_give_byte_identical_models()
    {
        var recipe = run.WriteRecipe(Search);

        run.Compress(recipe, "first");
        run.Compress(recipe, "second");

        foreach (var file in new[] { "a3-report.json", "config.json", "model.safetensors" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(run.Output("first"), file)), File.ReadAllBytes(Path.Combine(run.Output("second"), file)));
        }
    }

    [SkippableFact]
    public void A_budget_change_reuses_the_cached_sensitivities_and_gives_the_model_a_cold_run_gives()
    {
        var recipe = run.WriteRecipe(Search);
        run.Compress(recipe, "first", run.Cached);
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace("budget: 0.2", "budget: 0.3", StringComparison.Ordinal));

        var reusing = run.Compress(recipe, "reusing", run.Cached);
        run.Compress(recipe, "cold");

        var facts = reusing.RunFacts!.Allocation!;
        Assert.True(facts.SensitivitiesReused);
        Assert.Equal(0, facts.Measurements);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.Output("cold"), "model.safetensors")), File.ReadAllBytes(Path.Combine(run.Output("reusing"), "model.safetensors")));
        Assert.True(reusing.Report.DecoderRemovedFraction >= 0.3);
    }

    [SkippableFact]
    public async Task A_recipe_asking_a_baseline_for_a_search_is_refused_before_any_work()
    {
        var baseline = run.WriteRecipe("method: svd\n  budget: 0.2\n  allocation: search");

        var error = await Assert.ThrowsAsync<RecipeException>(() => RecipeCompressor.CompressAsync(baseline, run.Output("never")));

        Assert.Equal("search allocation applies to a3 only; the svd baseline allocates each layer the same ratio", Assert.Single(error.Diagnostics).Message);
        Assert.False(Directory.Exists(run.Output("never")));
    }
}
