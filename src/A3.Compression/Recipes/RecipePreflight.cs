using System.Diagnostics;
using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Calibration;
using A3.Evaluation;
using A3.IO;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.IO;
using A3.Runtime.Inspection;
using A3.Runtime.Model;
using A3.Runtime.Native;

namespace A3.Compression.Recipes;

/// <summary>
/// The cheap checks a recipe goes through before any heavy work, so a long job never fails late on a mistake
/// that was visible at the start: the model's configuration and every tensor's shape (headers only), the
/// calibration file tokenised and its windows drawn, and the plan's sizes. Problems that a recipe value can fix
/// are located at that value.
/// </summary>
public static class RecipePreflight
{
    /// <summary>Runs the checks.</summary>
    /// <param name="recipe">A validated recipe.</param>
    /// <returns>The opened model and drawn calibration windows, with the warnings found; the caller owns it.</returns>
    /// <exception cref="RecipeException">A check failed; every diagnostic is located at the recipe value that fixes it.</exception>
    /// <exception cref="A3InputException">The model or calibration file is unreadable or malformed (the message names the file).</exception>
    public static PreparedRecipe Run(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var clock = Stopwatch.StartNew();
        var checkpoint = OpenModel(recipe);
        try
        {
            checkpoint.VerifyTensors();
            var diagnostics = new List<RecipeDiagnostic>();
            CheckDevice(recipe, diagnostics);
            var calibration = DrawCalibration(recipe, checkpoint, diagnostics);
            var evaluation = BuildEvaluation(recipe, checkpoint, diagnostics);
            CheckPlan(recipe, checkpoint.Config, diagnostics);
            if (calibration is null || diagnostics.Any(d => d.Severity == RecipeSeverity.Error))
            {
                throw new RecipeException(diagnostics);
            }

            return new PreparedRecipe(recipe, checkpoint, calibration, evaluation, Summarize(checkpoint.Config, calibration, clock.Elapsed), diagnostics);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the recipe's model. When what <c>model:</c> names is itself no model (a folder without config.json, a
    /// device), the fix is that recipe value, so the error is located there; a malformed file inside a model stays
    /// an error about that file.
    /// </summary>
    private static ModelCheckpoint OpenModel(Recipe recipe)
    {
        var modelPath = recipe.GetModelPath();
        try
        {
            return ModelCheckpoint.Open(modelPath);
        }
        catch (A3InputException exception) when (exception.FilePath is { } file && Path.GetFullPath(file) == Path.GetFullPath(modelPath))
        {
            throw new RecipeException([recipe.CreateDiagnostic(exception.Code, RecipeKeys.Model, $"'{RecipeKeys.Model}': {exception.Message} ({file})")]);
        }
    }

    /// <summary>Returns a diagnostic located at the recipe value <paramref name="exception"/> names.</summary>
    /// <param name="recipe">The recipe the setting comes from.</param>
    /// <param name="exception">The engine's complaint about a setting.</param>
    /// <returns>The located diagnostic.</returns>
    public static RecipeDiagnostic Locate(Recipe recipe, InvalidSettingException exception)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(exception);
        var file = exception.FilePath is { } path ? $" (in {path})" : string.Empty;
        return recipe.CreateDiagnostic(exception.Code, exception.Setting, exception.Message + file);
    }

    /// <summary>
    /// Refuses a CUDA device this machine does not have (a CPU-only libtorch, no visible GPU), which the run would
    /// otherwise find only after the pre-flight; <c>cpu</c> and <c>auto</c> always resolve, and need no native library.
    /// </summary>
    private static void CheckDevice(Recipe recipe, List<RecipeDiagnostic> diagnostics)
    {
        if (!recipe.Device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            ComputeDevice.Resolve(recipe.Device);
        }
        catch (InvalidSettingException exception)
        {
            diagnostics.Add(Locate(recipe, exception));
        }
    }

    private static CalibrationSet? DrawCalibration(Recipe recipe, ModelCheckpoint checkpoint, List<RecipeDiagnostic> diagnostics)
    {
        try
        {
            // The context first: it needs no data, and tokenising a large file for windows that cannot fit wastes minutes.
            var options = RecipeBinding.Calibration(recipe);
            CalibrationSet.EnsureFits(options.SequenceLength, checkpoint.Config);
            return CalibrationSetBuilder.Build(recipe.GetCalibrationDataPath(), checkpoint.Tokenizer, options);
        }
        catch (InvalidSettingException exception)
        {
            diagnostics.Add(Locate(recipe, exception));
            return null;
        }
    }

    /// <summary>Tokenises the evaluation data now, so a setting that does not fit it fails before the compression, not after.</summary>
    private static IReadOnlyList<ScoringSequence>? BuildEvaluation(Recipe recipe, ModelCheckpoint checkpoint, List<RecipeDiagnostic> diagnostics)
    {
        if (RecipeBinding.Evaluation(recipe) is not { } options)
        {
            return null;
        }

        var path = recipe.GetEvaluationDataPath()!;
        InputFiles.Require(path, "no such evaluation data file");
        try
        {
            return EvaluationSequences.Build(File.ReadAllText(path), checkpoint.Tokenizer, checkpoint.Config.MaxPositionEmbeddings, options, path);
        }
        catch (InvalidSettingException exception)
        {
            diagnostics.Add(Locate(recipe, exception));
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
                    A3ErrorCodes.InvalidSetting,
                    RecipeKeys.Override(i, RecipeKeys.CompressionOverridesLayers),
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
                A3ErrorCodes.InvalidSetting,
                RecipeKeys.CompressionBudget,
                $"a budget of {budget.ToString(CultureInfo.InvariantCulture)} cannot be met: keeping one step of round_to {section.RoundTo} per component removes at most {smallest:P1} of this model's decoder-linear parameters"));
            return;
        }

        if (RecipeBinding.Ratios(recipe) is { } ratios)
        {
            var plan = UniformPlanner.FromRatios(config, ratios, RecipeBinding.Overrides(recipe), section.RoundTo);
            if (plan.RemovedFraction(config) <= 0 && (section.Qk > 0 || section.Ov > 0 || section.Mlp > 0 || section.Overrides.Count > 0))
            {
                diagnostics.Add(recipe.CreateDiagnostic(
                    A3ErrorCodes.InvalidSetting,
                    section.RoundTo > 1 ? RecipeKeys.CompressionRoundTo : "compression",
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
