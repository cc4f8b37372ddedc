using System.Diagnostics;
using System.Globalization;
using A3.Recipes;
using A3.Runtime;
using A3.Compression.Calibration;
using A3.Compression.Budget;
using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary>
/// The cheap checks <c>a3 compress RECIPE</c> runs before any heavy work, so a long job never fails
/// late on a mistake that was visible at the start: the model's configuration and every tensor's
/// shape (headers only), the calibration file tokenised and its windows drawn, and the plan's
/// sizes. Problems that a recipe value can fix are located at that value.
/// </summary>
internal static class RecipePreflight
{
    /// <summary>Runs the checks; writes every diagnostic to <paramref name="log"/> and returns <see langword="null"/> when one is an error.</summary>
    /// <exception cref="A3InputException">The model or calibration file is unreadable or malformed (the message names the file).</exception>
    public static PreparedRecipe? Run(Recipe recipe, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var checkpoint = ModelCheckpoint.Open(recipe.GetModelPath());
        try
        {
            checkpoint.VerifyTensors();
            var diagnostics = new List<RecipeDiagnostic>();
            var calibration = DrawCalibration(recipe, checkpoint, diagnostics);
            CheckPlan(recipe, checkpoint.Config, diagnostics);
            foreach (var diagnostic in diagnostics)
            {
                log.WriteLine(diagnostic.ToString());
            }

            if (calibration is null || diagnostics.Any(d => d.Severity == RecipeSeverity.Error))
            {
                checkpoint.Dispose();
                return null;
            }

            var summary = Summarize(checkpoint.Config, calibration, clock.Elapsed);
            return new PreparedRecipe(checkpoint, calibration, summary);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    private static CalibrationSet? DrawCalibration(Recipe recipe, ModelCheckpoint checkpoint, List<RecipeDiagnostic> diagnostics)
    {
        try
        {
            return CalibrationSetBuilder.Build(recipe.GetCalibrationDataPath(), checkpoint.Tokenizer, RecipeOptions.Calibration(recipe));
        }
        catch (CalibrationSelectionException exception)
        {
            var key = exception.Option switch
            {
                nameof(CalibrationOptions.Skip) => "calibration.skip",
                nameof(CalibrationOptions.Take) => "calibration.take",
                _ => "calibration.sequence_length",
            };
            var hint = key == "calibration.sequence_length" ? "; lower 'calibration.sequence_length' or select more data" : string.Empty;
            diagnostics.Add(recipe.CreateDiagnostic(exception.Code, key, $"{exception.Message} in {exception.FilePath}{hint}"));
            return null;
        }
    }

    private static void CheckPlan(Recipe recipe, ModelConfig config, List<RecipeDiagnostic> diagnostics)
    {
        var section = recipe.Compression;
        for (var i = 0; i < section.Overrides.Count; i++)
        {
            var range = section.Overrides[i];
            if (range.Last >= config.NumLayers)
            {
                diagnostics.Add(recipe.CreateDiagnostic(
                    A3ErrorCodes.InvalidOption,
                    $"compression.overrides[{i}].layers",
                    $"layers {range.Layers} lie outside the model's layers 0-{config.NumLayers - 1}"));
            }
        }

        if (section.Method != RecipeMethod.A3 || diagnostics.Count > 0)
        {
            return;
        }

        // Every component keeps at least one step of round_to, so a budget beyond what the
        // smallest plan removes can never be met.
        var smallest = UniformPlanner.FromRatios(config, new ComponentRatios(0.999999, 0.999999, 0.999999), [], section.RoundTo).RemovedFraction(config);
        if (section.Budget is double budget && budget > smallest)
        {
            diagnostics.Add(recipe.CreateDiagnostic(
                A3ErrorCodes.InvalidOption,
                "compression.budget",
                $"a budget of {budget.ToString(CultureInfo.InvariantCulture)} cannot be met: keeping one step of round_to {section.RoundTo} per component removes at most {smallest:P1} of this model's decoder-linear parameters"));
            return;
        }

        if (RecipeOptions.Ratios(recipe) is { } ratios)
        {
            var plan = UniformPlanner.FromRatios(config, ratios, RecipeOptions.Overrides(recipe), section.RoundTo);
            if (plan.RemovedFraction(config) <= 0 && (section.Qk > 0 || section.Ov > 0 || section.Mlp > 0 || section.Overrides.Count > 0))
            {
                diagnostics.Add(recipe.CreateDiagnostic(
                    A3ErrorCodes.InvalidOption,
                    section.RoundTo > 1 ? "compression.round_to" : "compression",
                    $"the ratios round to the full size of every component (round_to {section.RoundTo}), so nothing would be removed",
                    RecipeSeverity.Warning));
            }
        }
    }

    private static string Summarize(ModelConfig config, CalibrationSet calibration, TimeSpan elapsed)
    {
        var parameters = ModelFootprint.Compute(config, ModelFootprint.BytesPerElementOf(config.TorchDtype), config.MaxPositionEmbeddings).TotalParameters;
        var source = calibration.Source is { } drawn ? $" from {drawn.Units:N0} {drawn.UnitName} ({drawn.Tokens:N0} tokens)" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"pre-flight ok: {config.NumLayers} layers, {Abbreviate(parameters)} params, {calibration.Count}×{calibration.SequenceLength} calibration tokens{source} in {elapsed.TotalSeconds:F1} s");
    }

    private static string Abbreviate(long count) => count switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e9:0.#}B"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e6:0.#}M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e3:0}K"),
        _ => count.ToString(CultureInfo.InvariantCulture),
    };
}
