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
            (CompressionSection.DefaultMethod, CompressionSection.DefaultAllocation, CompressionSection.DefaultRoundTo, CompressionSection.DefaultMlpSelector, CompressionSection.DefaultSequential),
            (compression.Method, compression.Allocation, compression.RoundTo, compression.MlpSelector, compression.Sequential));
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
}
