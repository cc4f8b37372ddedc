using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace A3.Recipes;

/// <summary>
/// The rules about a recipe's values: ranges, allowed values, required values, options that conflict,
/// the format version and, optionally, that the model and data files exist. Every recipe goes
/// through them, whether <see cref="RecipeParser"/> read it from YAML or a library user or the
/// command line built it in memory; the parser itself only checks what text alone has (syntax,
/// YAML types, unknown keys, spellings).
/// </summary>
/// <remarks>
/// Diagnostics are created with <see cref="Recipe.CreateDiagnostic"/>, so a parsed recipe's point at
/// the value's line and column and a recipe built in memory gets unlocated ones; either way
/// <see cref="RecipeDiagnostic.Key"/> names the key.
/// </remarks>
public static class RecipeValidator
{
    /// <summary>The message for a recipe without a compression section; the parser reports the absent key with it too.</summary>
    internal const string MissingCompressionMessage = "missing required key '" + RecipeKeys.Compression + "' (qk/ov/mlp ratios or a budget)";

    private static readonly Regex DevicePattern = new(@"^(cpu|cuda|auto|cuda:\d+)$", RegexOptions.CultureInvariant);

    /// <summary>The least value of each integer count; the most is in <see cref="Maximums"/>, else <see cref="int.MaxValue"/>.</summary>
    private static readonly Dictionary<string, int> Minimums = new(StringComparer.Ordinal)
    {
        [RecipeKeys.CalibrationSamples] = 1,
        [RecipeKeys.CalibrationSequenceLength] = 1,
        [RecipeKeys.CalibrationSkip] = 0,
        [RecipeKeys.CalibrationTake] = 1,
        [RecipeKeys.CompressionRoundTo] = 1,
        [RecipeKeys.CalibrationSelectionSamples] = 1,
        [RecipeKeys.CompressionSearchLevels] = 2,
        [RecipeKeys.CompressionSearchEvaluations] = 1,
        [RecipeKeys.EvaluationSkipDocs] = 0,
        [RecipeKeys.EvaluationMaxDocs] = 1,
        [RecipeKeys.EvaluationSeqLen] = 1,
        [RecipeKeys.EvaluationMaxWindows] = 1,
    };

    /// <summary>
    /// The most of the counts that size what is held in memory, checked before anything is read: every calibration
    /// window is held as token ids and, during compression, as hidden states, so a count far beyond any real use
    /// (2147483647 samples) would exhaust memory in the pre-flight instead of being refused. 65,536 windows is 512
    /// times the paper's 128; a million tokens per window is beyond every supported model's context (the pre-flight
    /// then holds each window to the model's).
    /// </summary>
    private static readonly Dictionary<string, int> Maximums = new(StringComparer.Ordinal)
    {
        [RecipeKeys.CalibrationSamples] = MaxWindows,
        [RecipeKeys.CalibrationSelectionSamples] = MaxWindows,
        [RecipeKeys.CalibrationSequenceLength] = MaxWindowTokens,
        [RecipeKeys.EvaluationSeqLen] = MaxWindowTokens,
    };

    /// <summary>The most calibration windows, and the most selection windows, a recipe may ask for.</summary>
    public const int MaxWindows = 65_536;

    /// <summary>The most tokens per calibration or evaluation window a recipe may ask for (the model's context bounds it further).</summary>
    public const int MaxWindowTokens = 1_048_576;

    /// <summary>Checks every value rule of the format against <paramref name="recipe"/>.</summary>
    /// <param name="recipe">The recipe, parsed or built in memory.</param>
    /// <param name="checkFiles">Whether to report model and data files that do not exist (resolved against <see cref="Recipe.BaseDirectory"/>).</param>
    /// <returns>Every problem found, in the order the format lists the keys; empty for a valid recipe.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="recipe"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<RecipeDiagnostic> Validate(Recipe recipe, bool checkFiles = true)
    {
        if (recipe is null)
        {
            throw new ArgumentNullException(nameof(recipe));
        }

        var diagnostics = new List<RecipeDiagnostic>();
        CheckRoot(recipe, checkFiles, diagnostics);
        if (recipe.Calibration is null)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.MissingRequired, RecipeKeys.Calibration, $"missing required key '{RecipeKeys.Calibration}'"));
        }
        else
        {
            CheckCalibration(recipe, recipe.Calibration, checkFiles, diagnostics);
        }

        if (recipe.Compression is null)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.MissingRequired, RecipeKeys.Compression, MissingCompressionMessage));
        }
        else
        {
            CheckCompression(recipe, recipe.Compression, diagnostics);
        }

        if (recipe.Output is not null)
        {
            CheckEnum(recipe, RecipeKeys.OutputDtype, recipe.Output.Dtype, diagnostics);
            CheckFormats(recipe, recipe.Output.Formats, diagnostics);
        }

        if (recipe.Evaluation is not null)
        {
            CheckEvaluation(recipe, recipe.Evaluation, checkFiles, diagnostics);
        }

        return diagnostics;
    }

    /// <summary>
    /// Returns the code and message for integer <paramref name="value"/> of <paramref name="key"/> when
    /// the format does not allow it, else <see langword="null"/>; the parser asks too, for numbers
    /// too large for the object model to hold, so they read as the rule they break.
    /// </summary>
    internal static (string Code, string Message)? CheckInteger(string key, long value)
    {
        if (key == RecipeKeys.Version)
        {
            return value == Recipe.CurrentVersion
                ? null
                : (RecipeErrorCodes.UnsupportedVersion, $"unsupported recipe version {value}; this tool reads version {Recipe.CurrentVersion}");
        }

        if (key == RecipeKeys.CalibrationTokenWidth)
        {
            return value is 2 or 4
                ? null
                : (RecipeErrorCodes.InvalidValue, $"'{RecipeKeys.CalibrationTokenWidth}' must be 2 (uint16) or 4 (uint32), got {value}");
        }

        if (Minimums.TryGetValue(key, out var minimum))
        {
            if (Maximums.TryGetValue(key, out var maximum))
            {
                return value >= minimum && value <= maximum
                    ? null
                    : (RecipeErrorCodes.OutOfRange, $"'{key}' must be between {minimum} and {maximum}, got {value}");
            }

            return value >= minimum && value <= int.MaxValue
                ? null
                : (RecipeErrorCodes.OutOfRange, $"'{key}' must be {minimum} or more (and at most {int.MaxValue}), got {value}");
        }

        return null;
    }

    private static void CheckRoot(Recipe recipe, bool checkFiles, List<RecipeDiagnostic> diagnostics)
    {
        CheckInteger(recipe, RecipeKeys.Version, recipe.Version, diagnostics);
        var name = recipe.Name ?? string.Empty;
        if (Required(recipe, RecipeKeys.Name, name, RecipeKeys.Name, diagnostics) && !Recipe.IsValidName(name))
        {
            // The name becomes a folder (a3/<name>/) and a C# class name, so it stays portable.
            diagnostics.Add(recipe.CreateDiagnostic(
                RecipeErrorCodes.InvalidValue,
                RecipeKeys.Name,
                $"the name '{Shorten(name)}' must start with a letter or digit, use only letters, digits, '.', '_' and '-', and have at most {Recipe.MaxNameLength} characters (it names the output folder and the generated class){(name.Length > Recipe.MaxNameLength ? $"; it has {name.Length}" : string.Empty)}"));
        }

        if (Required(recipe, RecipeKeys.Model, recipe.Model, RecipeKeys.Model, diagnostics) && checkFiles)
        {
            CheckPath(recipe, RecipeKeys.Model, recipe.Model, allowDirectory: true, diagnostics);
        }

        var device = recipe.Device ?? string.Empty;
        if (!DevicePattern.IsMatch(device))
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, RecipeKeys.Device, $"unknown device '{device}'; allowed: cpu, cuda, cuda:N, auto"));
        }

        CheckEnum(recipe, RecipeKeys.Dtype, recipe.Dtype, diagnostics);
    }

    private static void CheckCalibration(Recipe recipe, CalibrationSection section, bool checkFiles, List<RecipeDiagnostic> diagnostics)
    {
        if (Required(recipe, RecipeKeys.CalibrationData, section.Data, RecipeKeys.CalibrationData, diagnostics) && checkFiles)
        {
            CheckPath(recipe, RecipeKeys.CalibrationData, section.Data, allowDirectory: false, diagnostics);
        }

        CheckEnum(recipe, RecipeKeys.CalibrationFormat, section.Format, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationSamples, section.Samples, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationSequenceLength, section.SequenceLength, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationSkip, section.Skip, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationTake, section.Take, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationTokenWidth, section.TokenWidth, diagnostics);
        CheckInteger(recipe, RecipeKeys.CalibrationSelectionSamples, section.SelectionSamples, diagnostics);
    }

    private static void CheckCompression(Recipe recipe, CompressionSection section, List<RecipeDiagnostic> diagnostics)
    {
        CheckEnum(recipe, RecipeKeys.CompressionMethod, section.Method, diagnostics);
        CheckRatio(recipe, RecipeKeys.CompressionQk, RecipeKeys.CompressionQk, section.Qk, diagnostics);
        CheckRatio(recipe, RecipeKeys.CompressionOv, RecipeKeys.CompressionOv, section.Ov, diagnostics);
        CheckRatio(recipe, RecipeKeys.CompressionMlp, RecipeKeys.CompressionMlp, section.Mlp, diagnostics);
        if (section.Budget is double budget && !(budget > 0 && budget < 1))
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.OutOfRange, RecipeKeys.CompressionBudget, $"'{RecipeKeys.CompressionBudget}' must be in (0, 1), got {Format(budget)}"));
        }

        if (section.Allocation is { } allocation)
        {
            CheckEnum(recipe, RecipeKeys.CompressionAllocation, allocation, diagnostics);
        }

        CheckInteger(recipe, RecipeKeys.CompressionRoundTo, section.RoundTo, diagnostics);
        CheckInteger(recipe, RecipeKeys.CompressionSearchLevels, section.SearchLevels, diagnostics);
        CheckInteger(recipe, RecipeKeys.CompressionSearchEvaluations, section.SearchEvaluations, diagnostics);
        var overrides = section.Overrides ?? new List<LayerOverride>();
        for (int i = 0; i < overrides.Count; i++)
        {
            CheckOverride(recipe, overrides[i], i, diagnostics);
        }

        CheckEnum(recipe, RecipeKeys.CompressionMlpSelector, section.MlpSelector, diagnostics);
        CheckConflicts(recipe, section, overrides.Count, diagnostics);
    }

    private static void CheckConflicts(Recipe recipe, CompressionSection section, int overrideCount, List<RecipeDiagnostic> diagnostics)
    {
        // A ratio or budget is given when it is set, whatever its value; out-of-range ones are reported above.
        var ratioKeys = new[] { (RecipeKeys.CompressionQk, section.Qk), (RecipeKeys.CompressionOv, section.Ov), (RecipeKeys.CompressionMlp, section.Mlp) }
            .Where(r => r.Item2.HasValue)
            .Select(r => r.Item1)
            .ToArray();
        bool hasBudget = section.Budget.HasValue;
        var method = RecipeNames.Of(section.Method);
        if (hasBudget && ratioKeys.Length > 0)
        {
            var ratios = string.Join(", ", ratioKeys.Select(k => recipe.LineOf(k) is int line ? $"'{RecipeKeys.Leaf(k)}' (line {line})" : $"'{RecipeKeys.Leaf(k)}'"));
            diagnostics.Add(recipe.CreateDiagnostic(
                RecipeErrorCodes.Conflict,
                RecipeKeys.CompressionBudget,
                $"'{RecipeKeys.CompressionBudget}' conflicts with the explicit ratio{(ratioKeys.Length > 1 ? "s" : string.Empty)} {ratios}; give a budget or qk/ov/mlp ratios, not both"));
        }
        else if (!hasBudget && ratioKeys.Length == 0)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.MissingRequired, RecipeKeys.Compression, $"'{RecipeKeys.Compression}' needs either qk/ov/mlp ratios or a 'budget'"));
        }

        if (section.Method != RecipeMethod.A3 && ratioKeys.Length > 0)
        {
            diagnostics.Add(recipe.CreateDiagnostic(
                RecipeErrorCodes.Conflict,
                ratioKeys[0],
                $"the {method} baseline takes a 'budget' (each linear layer keeps the rank that removes that fraction of its parameters), not qk/ov/mlp ratios"));
        }

        // Only an allocation the recipe names can conflict: the default follows the method and the target.
        if (section.Allocation is { } named && named != RecipeAllocation.Uniform)
        {
            var allocation = RecipeNames.Of(named);
            if (!hasBudget)
            {
                diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.Conflict, RecipeKeys.CompressionAllocation, $"{allocation} allocation spreads a 'budget'; add 'budget' or use allocation: uniform"));
            }
            else if (section.Method != RecipeMethod.A3)
            {
                diagnostics.Add(recipe.CreateDiagnostic(
                    RecipeErrorCodes.Conflict,
                    RecipeKeys.CompressionAllocation,
                    $"{allocation} allocation applies to a3 only; the {method} baseline allocates each layer the same ratio"));
            }
        }

        if (hasBudget && overrideCount > 0)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.Conflict, RecipeKeys.CompressionOverrides, "per-layer 'overrides' refine qk/ov/mlp ratios; they do not combine with a 'budget'"));
        }
    }

    private static void CheckOverride(Recipe recipe, LayerOverride? item, int index, List<RecipeDiagnostic> diagnostics)
    {
        if (item is null)
        {
            diagnostics.Add(recipe.CreateDiagnostic(
                RecipeErrorCodes.WrongType,
                RecipeKeys.Override(index),
                $"each of '{RecipeKeys.CompressionOverrides}' is a mapping with 'layers' and ratios, found null"));
            return;
        }

        var layersKey = RecipeKeys.Override(index, RecipeKeys.CompressionOverridesLayers);
        if (Required(recipe, layersKey, item.Layers, RecipeKeys.CompressionOverridesLayers, diagnostics))
        {
            if (!LayerOverride.TryParseLayers(item.Layers, out var first, out var last))
            {
                diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, layersKey, $"'layers' is a layer index (3) or an inclusive range (0-7), got '{item.Layers}'"));
            }
            else if (last < first)
            {
                diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.OutOfRange, layersKey, $"the layer range '{item.Layers}' ends before it starts; write {last}-{first}"));
            }
        }

        CheckRatio(recipe, RecipeKeys.Override(index, RecipeKeys.CompressionOverridesQk), RecipeKeys.CompressionOverridesQk, item.Qk, diagnostics);
        CheckRatio(recipe, RecipeKeys.Override(index, RecipeKeys.CompressionOverridesOv), RecipeKeys.CompressionOverridesOv, item.Ov, diagnostics);
        CheckRatio(recipe, RecipeKeys.Override(index, RecipeKeys.CompressionOverridesMlp), RecipeKeys.CompressionOverridesMlp, item.Mlp, diagnostics);
        if (item.Qk is null && item.Ov is null && item.Mlp is null)
        {
            diagnostics.Add(recipe.CreateDiagnostic(
                RecipeErrorCodes.MissingRequired,
                RecipeKeys.Override(index),
                "this override sets none of qk, ov and mlp, so it changes nothing",
                RecipeSeverity.Warning));
        }
    }

    private static void CheckEvaluation(Recipe recipe, EvaluationSection section, bool checkFiles, List<RecipeDiagnostic> diagnostics)
    {
        if (Required(recipe, RecipeKeys.EvaluationData, section.Data, RecipeKeys.EvaluationData, diagnostics) && checkFiles)
        {
            CheckPath(recipe, RecipeKeys.EvaluationData, section.Data, allowDirectory: false, diagnostics);
        }

        CheckEnum(recipe, RecipeKeys.EvaluationProtocol, section.Protocol, diagnostics);
        CheckInteger(recipe, RecipeKeys.EvaluationSkipDocs, section.SkipDocs, diagnostics);
        CheckInteger(recipe, RecipeKeys.EvaluationMaxDocs, section.MaxDocs, diagnostics);
        CheckInteger(recipe, RecipeKeys.EvaluationSeqLen, section.SeqLen, diagnostics);
        CheckInteger(recipe, RecipeKeys.EvaluationMaxWindows, section.MaxWindows, diagnostics);
    }

    /// <summary>Reports an empty required value; <paramref name="name"/> is the key as messages spell it (without list indices).</summary>
    private static bool Required(Recipe recipe, string key, string? value, string name, List<RecipeDiagnostic> diagnostics)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return true;
        }

        diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.MissingRequired, key, $"missing required key '{name}'"));
        return false;
    }

    private static void CheckInteger(Recipe recipe, string key, long? value, List<RecipeDiagnostic> diagnostics)
    {
        if (value is long given && CheckInteger(key, given) is var (code, message))
        {
            diagnostics.Add(recipe.CreateDiagnostic(code, key, message));
        }
    }

    /// <summary>Reports a ratio outside [0, 1); <paramref name="name"/> is the key as messages spell it (without list indices).</summary>
    private static void CheckRatio(Recipe recipe, string key, string name, double? value, List<RecipeDiagnostic> diagnostics)
    {
        // Written so that NaN fails too.
        if (value is double ratio && !(ratio >= 0 && ratio < 1))
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.OutOfRange, key, $"the {RecipeKeys.Leaf(name)} ratio '{name}' must be in [0, 1), got {Format(ratio)}"));
        }
    }

    /// <summary>Reports a value outside its enum, which only a recipe built in memory can hold (a cast integer).</summary>
    /// <summary>Each form at most once, at least one, each a known one.</summary>
    private static void CheckFormats(Recipe recipe, IList<RecipeOutputFormat>? formats, List<RecipeDiagnostic> diagnostics)
    {
        if (formats is null || formats.Count == 0)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, RecipeKeys.OutputFormats, $"'{RecipeKeys.OutputFormats}' lists no format; list at least one of {string.Join(", ", RecipeNames.All<RecipeOutputFormat>())}"));
            return;
        }

        foreach (var format in formats)
        {
            CheckEnum(recipe, RecipeKeys.OutputFormats, format, diagnostics);
        }

        foreach (var repeated in formats.GroupBy(format => format).Where(group => group.Count() > 1))
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, RecipeKeys.OutputFormats, $"'{RecipeKeys.OutputFormats}' lists {RecipeNames.Of(repeated.Key)} {repeated.Count()} times; list each format once"));
        }
    }

    private static void CheckEnum<T>(Recipe recipe, string key, T value, List<RecipeDiagnostic> diagnostics)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(typeof(T), value))
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, key, $"unknown {key} '{value}'; allowed: {string.Join(", ", RecipeNames.All<T>())}"));
        }
    }

    private static void CheckPath(Recipe recipe, string key, string written, bool allowDirectory, List<RecipeDiagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(written))
        {
            return;
        }

        string full;
        try
        {
            full = recipe.ResolvePath(written);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.InvalidValue, key, $"'{key}' is not a valid path: {exception.Message}"));
            return;
        }

        if (InputFile.Problem(full) is { } problem)
        {
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.FileNotFound, key, $"'{key}': '{written}' (resolved against the recipe's folder to {full}) {problem}"));
        }
        else if (!File.Exists(full) && !(allowDirectory && Directory.Exists(full)))
        {
            // A missing model is the first thing a copied recipe or sample meets, so say what to point it at.
            var message = allowDirectory
                ? $"'{key}': no such model folder or file '{written}' (resolved against the recipe's folder to {full}); point '{key}' at a local Hugging Face model folder (config.json, safetensors, tokenizer) or a llama2.c .bin file"
                : $"'{key}': no such file '{written}' (resolved against the recipe's folder to {full})";
            diagnostics.Add(recipe.CreateDiagnostic(RecipeErrorCodes.FileNotFound, key, message));
        }
    }

    /// <summary>Returns <paramref name="text"/>, cut to its first 40 characters when longer, so a message stays one readable line.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
