namespace A3.Recipes.Tests;

/// <summary>The format's defaults are one set of constants: the section classes start with them and the parser falls back to them.</summary>
public sealed class RecipeDefaultsTests
{
    [Fact]
    public void New_sections_hold_the_default_constants()
    {
        var recipe = new Recipe();

        Assert.Equal((Recipe.CurrentVersion, Recipe.DefaultDevice, Recipe.DefaultDtype, OutputSection.DefaultDtype), (recipe.Version, recipe.Device, recipe.Dtype, recipe.Output.Dtype));
        var calibration = recipe.Calibration;
        Assert.Equal(
            (CalibrationSection.DefaultFormat, CalibrationSection.DefaultSamples, CalibrationSection.DefaultSequenceLength, CalibrationSection.DefaultSeed, CalibrationSection.DefaultSkip, CalibrationSection.DefaultSeparator, CalibrationSection.DefaultTokenWidth),
            (calibration.Format, calibration.Samples, calibration.SequenceLength, calibration.Seed, calibration.Skip, calibration.Separator, calibration.TokenWidth));
        Assert.Equal((128, 256, 2, "<|endoftext|>"), (CalibrationSection.DefaultSamples, CalibrationSection.DefaultSequenceLength, CalibrationSection.DefaultTokenWidth, CalibrationSection.DefaultSeparator));
        var compression = recipe.Compression;
        Assert.Equal(
            (CompressionSection.DefaultMethod, CompressionSection.DefaultRoundTo, CompressionSection.DefaultMlpSelector, CompressionSection.DefaultSequential, CompressionSection.DefaultSearchLevels, CompressionSection.DefaultSearchEvaluations),
            (compression.Method, compression.RoundTo, compression.MlpSelector, compression.Sequential, compression.SearchLevels, compression.SearchEvaluations));
        Assert.Equal(CalibrationSection.DefaultSelectionSamples, calibration.SelectionSamples);
        Assert.Null(compression.Allocation);
        var evaluation = new EvaluationSection();
        Assert.Equal(
            (EvaluationSection.DefaultProtocol, EvaluationSection.DefaultSeparator, EvaluationSection.DefaultSkipDocs),
            (evaluation.Protocol, evaluation.Separator, evaluation.SkipDocs));
    }

    [Fact]
    public void A_parsed_recipe_without_optional_keys_has_the_defaults()
    {
        var yaml = TempRecipeFolder.Valid + "\noutput: {}\nevaluation:\n  data: e.txt";

        var recipe = RecipeParser.Parse(yaml, "r.a3.yaml", checkFiles: false).Recipe!;

        Assert.Equal(RecipeNormalizer.Canonicalize(Defaults()), RecipeNormalizer.Canonicalize(recipe));

        static Recipe Defaults() => new()
        {
            Name = "tiny",
            Calibration = { Take = 500 },
            Compression = { Budget = 0.2 },
            Evaluation = new EvaluationSection(),
        };
    }

    [Theory]
    [InlineData(RecipeMethod.A3, 0.2, null, CompressionSection.DefaultAllocation)]
    [InlineData(RecipeMethod.A3, null, null, RecipeAllocation.Uniform)]
    [InlineData(RecipeMethod.SvdLlm, 0.2, null, RecipeAllocation.Uniform)]
    [InlineData(RecipeMethod.Svd, 0.2, null, RecipeAllocation.Uniform)]
    [InlineData(RecipeMethod.A3, 0.2, RecipeAllocation.Uniform, RecipeAllocation.Uniform)]
    [InlineData(RecipeMethod.A3, 0.2, RecipeAllocation.Greedy, RecipeAllocation.Greedy)]
    public void An_unnamed_allocation_follows_the_method_and_target(RecipeMethod method, double? budget, RecipeAllocation? named, RecipeAllocation expected)
    {
        var section = new CompressionSection { Method = method, Budget = budget, Qk = budget is null ? 0.1 : null, Allocation = named };

        Assert.Equal(expected, section.AllocationOrDefault());
    }

    [Fact]
    public void Naming_the_default_allocation_does_not_change_the_canonical_form()
    {
        var implicitDefault = new Recipe { Name = "tiny", Compression = { Budget = 0.2 } };
        var named = new Recipe { Name = "tiny", Compression = { Budget = 0.2, Allocation = CompressionSection.DefaultAllocation } };
        var uniform = new Recipe { Name = "tiny", Compression = { Budget = 0.2, Allocation = RecipeAllocation.Uniform } };

        Assert.Equal(RecipeNormalizer.Canonicalize(named), RecipeNormalizer.Canonicalize(implicitDefault));
        Assert.NotEqual(RecipeNormalizer.Canonicalize(uniform), RecipeNormalizer.Canonicalize(implicitDefault));
    }
}
