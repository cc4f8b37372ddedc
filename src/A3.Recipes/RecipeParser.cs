using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace A3.Recipes;

/// <summary>
/// Parses recipe YAML and validates it. Reading walks YamlDotNet's representation model rather than
/// deserialising, so every value keeps its line and column, and checks what only text has: syntax,
/// YAML types, unknown keys, required keys, enum spellings. The values are then checked by
/// <see cref="RecipeValidator"/>, the same rules a recipe built in memory goes through. Both keep
/// going after a mistake, so one run reports all of them before any heavy work starts.
/// </summary>
public static class RecipeParser
{
    // The keys each mapping defines, in the order unknown-key messages list them.
    private static readonly string[] RootKeys = [RecipeKeys.Version, RecipeKeys.Name, RecipeKeys.Model, RecipeKeys.Calibration, RecipeKeys.Compression, RecipeKeys.Device, RecipeKeys.Dtype, RecipeKeys.Output, RecipeKeys.Evaluation];
    private static readonly string[] CalibrationKeys =
    [
        RecipeKeys.CalibrationData, RecipeKeys.CalibrationFormat, RecipeKeys.CalibrationSamples, RecipeKeys.CalibrationSequenceLength, RecipeKeys.CalibrationSeed,
        RecipeKeys.CalibrationSkip, RecipeKeys.CalibrationTake, RecipeKeys.CalibrationSeparator, RecipeKeys.CalibrationTokenWidth, RecipeKeys.CalibrationSelectionSamples,
    ];

    private static readonly string[] CompressionKeys =
    [
        RecipeKeys.CompressionMethod, RecipeKeys.CompressionQk, RecipeKeys.CompressionOv, RecipeKeys.CompressionMlp, RecipeKeys.CompressionBudget,
        RecipeKeys.CompressionAllocation, RecipeKeys.CompressionRoundTo, RecipeKeys.CompressionOverrides, RecipeKeys.CompressionMlpSelector, RecipeKeys.CompressionSequential,
        RecipeKeys.CompressionSearchLevels, RecipeKeys.CompressionSearchEvaluations,
    ];

    private static readonly string[] OverrideKeys = [RecipeKeys.CompressionOverridesLayers, RecipeKeys.CompressionOverridesQk, RecipeKeys.CompressionOverridesOv, RecipeKeys.CompressionOverridesMlp];
    private static readonly string[] OutputKeys = [RecipeKeys.OutputDtype, RecipeKeys.OutputFormats];
    private static readonly string[] EvaluationKeys =
    [
        RecipeKeys.EvaluationData, RecipeKeys.EvaluationProtocol, RecipeKeys.EvaluationSeparator, RecipeKeys.EvaluationSkipDocs,
        RecipeKeys.EvaluationMaxDocs, RecipeKeys.EvaluationSeqLen, RecipeKeys.EvaluationMaxWindows,
    ];

    private static readonly Regex YamlMessagePrefix = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

    /// <summary>Parses <paramref name="yamlText"/>, the contents of the recipe at <paramref name="recipePath"/>.</summary>
    /// <param name="yamlText">The recipe text.</param>
    /// <param name="recipePath">The recipe's path: diagnostics name it as given, and relative paths in the recipe resolve against its folder.</param>
    /// <param name="checkFiles">Whether to report model and data files that do not exist.</param>
    /// <returns>The recipe when neither reading nor <see cref="RecipeValidator"/> found an error, and every diagnostic in file order.</returns>
    public static RecipeParseResult Parse(string yamlText, string recipePath, bool checkFiles = true)
    {
        var context = new ParseContext(recipePath);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(recipePath)) ?? Directory.GetCurrentDirectory();
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new NestingLimitParser(new Parser(scanner)));
        }
        catch (YamlException exception)
        {
            var readerMessage = YamlMessagePrefix.Replace(exception.InnerException?.Message ?? exception.Message, string.Empty);
            var (start, message) = YamlSyntaxErrors.Explain(yamlText, exception.Start, readerMessage);
            context.Error(RecipeErrorCodes.InvalidYaml, string.Empty, start, $"invalid YAML: {message}");
            return new RecipeParseResult(null, context.Diagnostics);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence
            // before a plain scalar) instead of a YamlException; it still knows where it stopped.
            context.Error(RecipeErrorCodes.InvalidYaml, string.Empty, scanner.CurrentPosition, "invalid YAML: unexpected text (an unclosed [ or { before this point?)");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        if (stream.Documents.Count == 0 || MappingReader.IsNull(stream.Documents[0].RootNode))
        {
            context.Error(RecipeErrorCodes.MissingRequired, string.Empty, new Mark(), "the recipe is empty; it needs at least 'version', 'name', 'model', 'calibration' and 'compression'");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Error(RecipeErrorCodes.WrongType, string.Empty, stream.Documents[0].RootNode.Start, $"a recipe is a mapping of keys to values, found {MappingReader.Describe(stream.Documents[0].RootNode)}");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        var recipe = ReadRecipe(context, root, baseDirectory);
        recipe.SetSource(recipePath, context.Locations);

        // Validation runs even after reading errors, so one run reports every mistake; it leaves out
        // what a reading error already reported or caused (a value left at its default).
        var validation = RecipeValidator.Validate(recipe, checkFiles).Where(d => !context.Explains(d)).ToArray();
        var ordered = context.Diagnostics.Concat(validation).OrderBy(d => d.Line).ThenBy(d => d.Column).ToArray();
        bool failed = context.HasErrors || validation.Any(d => d.Severity == RecipeSeverity.Error);
        return new RecipeParseResult(failed ? null : recipe, ordered);
    }

    private static Recipe ReadRecipe(ParseContext context, YamlMappingNode root, string baseDirectory)
    {
        var reader = new MappingReader(context, root, string.Empty, RootKeys);
        var recipe = new Recipe { BaseDirectory = baseDirectory };
        if (reader.Require(RecipeKeys.Version) && reader.Int(RecipeKeys.Version) is int version)
        {
            recipe.Version = version;
        }

        if (reader.Require(RecipeKeys.Name))
        {
            recipe.Name = reader.String(RecipeKeys.Name) ?? recipe.Name;
        }

        if (reader.Require(RecipeKeys.Model))
        {
            recipe.Model = reader.String(RecipeKeys.Model) ?? recipe.Model;
        }

        if (reader.Require(RecipeKeys.Calibration) && reader.Mapping(RecipeKeys.Calibration) is YamlMappingNode calibration)
        {
            ReadCalibration(context, calibration, recipe.Calibration);
        }

        if (reader.Mapping(RecipeKeys.Compression) is YamlMappingNode compression)
        {
            ReadCompression(context, compression, recipe.Compression);
        }
        else if (!reader.Has(RecipeKeys.Compression))
        {
            context.Unread(RecipeErrorCodes.MissingRequired, RecipeKeys.Compression, reader.KeyMark(RecipeKeys.Compression), RecipeValidator.MissingCompressionMessage);
        }

        recipe.Device = reader.String(RecipeKeys.Device) ?? recipe.Device;
        recipe.Dtype = reader.Enum<RecipeComputeDtype>(RecipeKeys.Dtype) ?? recipe.Dtype;
        if (reader.Mapping(RecipeKeys.Output) is YamlMappingNode output)
        {
            var outputReader = new MappingReader(context, output, RecipeKeys.Output, OutputKeys);
            recipe.Output.Dtype = outputReader.Enum<RecipeOutputDtype>(RecipeKeys.OutputDtype) ?? recipe.Output.Dtype;
            if (outputReader.Sequence(RecipeKeys.OutputFormats) is YamlSequenceNode formats)
            {
                recipe.Output.Formats = ReadFormats(context, formats);
            }
        }

        if (reader.Mapping(RecipeKeys.Evaluation) is YamlMappingNode evaluation)
        {
            recipe.Evaluation = ReadEvaluation(context, evaluation);
        }

        return recipe;
    }

    // Each value falls back to the section's initial value, so the defaults live in one place (the section classes).
    private static void ReadCalibration(ParseContext context, YamlMappingNode node, CalibrationSection section)
    {
        var reader = new MappingReader(context, node, RecipeKeys.Calibration, CalibrationKeys);
        if (reader.Require(RecipeKeys.CalibrationData))
        {
            section.Data = reader.String(RecipeKeys.CalibrationData) ?? section.Data;
        }

        section.Format = reader.Enum<RecipeCalibrationFormat>(RecipeKeys.CalibrationFormat) ?? section.Format;
        section.Samples = reader.Int(RecipeKeys.CalibrationSamples) ?? section.Samples;
        section.SequenceLength = reader.Int(RecipeKeys.CalibrationSequenceLength) ?? section.SequenceLength;
        section.Seed = reader.Long(RecipeKeys.CalibrationSeed) ?? section.Seed;
        section.Skip = reader.Int(RecipeKeys.CalibrationSkip) ?? section.Skip;
        section.Take = reader.Int(RecipeKeys.CalibrationTake) ?? section.Take;
        section.Separator = reader.String(RecipeKeys.CalibrationSeparator) ?? section.Separator;
        section.TokenWidth = reader.Int(RecipeKeys.CalibrationTokenWidth) ?? section.TokenWidth;
        section.SelectionSamples = reader.Int(RecipeKeys.CalibrationSelectionSamples) ?? section.SelectionSamples;
    }

    private static void ReadCompression(ParseContext context, YamlMappingNode node, CompressionSection section)
    {
        var reader = new MappingReader(context, node, RecipeKeys.Compression, CompressionKeys);
        section.Method = reader.Enum<RecipeMethod>(RecipeKeys.CompressionMethod) ?? section.Method;
        section.Qk = reader.Double(RecipeKeys.CompressionQk) ?? section.Qk;
        section.Ov = reader.Double(RecipeKeys.CompressionOv) ?? section.Ov;
        section.Mlp = reader.Double(RecipeKeys.CompressionMlp) ?? section.Mlp;
        section.Budget = reader.Double(RecipeKeys.CompressionBudget) ?? section.Budget;
        section.Allocation = reader.Enum<RecipeAllocation>(RecipeKeys.CompressionAllocation) ?? section.Allocation;
        section.RoundTo = reader.Int(RecipeKeys.CompressionRoundTo) ?? section.RoundTo;
        section.MlpSelector = reader.Enum<RecipeMlpSelector>(RecipeKeys.CompressionMlpSelector) ?? section.MlpSelector;
        section.Sequential = reader.Bool(RecipeKeys.CompressionSequential) ?? section.Sequential;
        section.SearchLevels = reader.Int(RecipeKeys.CompressionSearchLevels) ?? section.SearchLevels;
        section.SearchEvaluations = reader.Int(RecipeKeys.CompressionSearchEvaluations) ?? section.SearchEvaluations;
        if (reader.Sequence(RecipeKeys.CompressionOverrides) is YamlSequenceNode overrides)
        {
            foreach (var item in overrides.Children)
            {
                var index = section.Overrides.Count;
                if (item is YamlMappingNode mapping)
                {
                    context.Locate(RecipeKeys.Override(index), item.Start);
                    section.Overrides.Add(ReadOverride(context, mapping, index));
                }
                else
                {
                    context.Error(RecipeErrorCodes.WrongType, RecipeKeys.Override(index), item.Start, $"each of '{RecipeKeys.CompressionOverrides}' is a mapping with 'layers' and ratios, found {MappingReader.Describe(item)}");
                }
            }
        }
    }

    /// <summary>Reads <c>output.formats</c>: a list of format names, each located when it is not one.</summary>
    private static List<RecipeOutputFormat> ReadFormats(ParseContext context, YamlSequenceNode node)
    {
        var formats = new List<RecipeOutputFormat>();
        foreach (var item in node.Children)
        {
            if (item is YamlScalarNode { Value: { } name } && RecipeNames.Parse<RecipeOutputFormat>(name) is { } format)
            {
                formats.Add(format);
                continue;
            }

            var found = item is YamlScalarNode scalar ? $"'{scalar.Value}'" : MappingReader.Describe(item);
            context.Unread(RecipeErrorCodes.InvalidValue, RecipeKeys.OutputFormats, item.Start, $"unknown {RecipeKeys.OutputFormats} {found}; allowed: {string.Join(", ", RecipeNames.All<RecipeOutputFormat>())}");
        }

        return formats;
    }

    private static LayerOverride ReadOverride(ParseContext context, YamlMappingNode node, int index)
    {
        var reader = new MappingReader(context, node, RecipeKeys.CompressionOverrides, OverrideKeys, RecipeKeys.Override(index));
        var result = new LayerOverride
        {
            Qk = reader.Double(RecipeKeys.CompressionOverridesQk),
            Ov = reader.Double(RecipeKeys.CompressionOverridesOv),
            Mlp = reader.Double(RecipeKeys.CompressionOverridesMlp),
        };

        // The text is kept as written; whether it is an index or a range is the validator's rule,
        // since a recipe built in memory holds the same text.
        if (reader.Require(RecipeKeys.CompressionOverridesLayers))
        {
            result.Layers = reader.String(RecipeKeys.CompressionOverridesLayers) ?? result.Layers;
        }

        return result;
    }

    private static EvaluationSection ReadEvaluation(ParseContext context, YamlMappingNode node)
    {
        var reader = new MappingReader(context, node, RecipeKeys.Evaluation, EvaluationKeys);
        var section = new EvaluationSection();
        if (reader.Require(RecipeKeys.EvaluationData))
        {
            section.Data = reader.String(RecipeKeys.EvaluationData) ?? section.Data;
        }

        section.Protocol = reader.Enum<RecipeEvaluationProtocol>(RecipeKeys.EvaluationProtocol) ?? section.Protocol;
        section.Separator = reader.String(RecipeKeys.EvaluationSeparator) ?? section.Separator;
        section.SkipDocs = reader.Int(RecipeKeys.EvaluationSkipDocs) ?? section.SkipDocs;
        section.MaxDocs = reader.Int(RecipeKeys.EvaluationMaxDocs) ?? section.MaxDocs;
        section.SeqLen = reader.Int(RecipeKeys.EvaluationSeqLen) ?? section.SeqLen;
        section.MaxWindows = reader.Int(RecipeKeys.EvaluationMaxWindows) ?? section.MaxWindows;
        return section;
    }
}
