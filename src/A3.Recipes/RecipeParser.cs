using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace A3.Recipes;

/// <summary>
/// Parses and validates recipe YAML. It walks YamlDotNet's representation model rather than
/// deserialising, so every value keeps its line and column, and it keeps going after a mistake so
/// one run reports all of them before any heavy work starts.
/// </summary>
public static class RecipeParser
{
    private static readonly string[] RootKeys = ["version", "name", "model", "calibration", "compression", "device", "dtype", "output", "evaluation"];
    private static readonly string[] CalibrationKeys = ["data", "format", "samples", "sequence_length", "seed", "skip", "take", "separator", "token_width"];
    private static readonly string[] CompressionKeys = ["method", "qk", "ov", "mlp", "budget", "allocation", "round_to", "overrides", "mlp_selector", "sequential"];
    private static readonly string[] OverrideKeys = ["layers", "qk", "ov", "mlp"];
    private static readonly string[] OutputKeys = ["dtype"];
    private static readonly string[] EvaluationKeys = ["data", "protocol", "separator", "skip_docs", "max_docs", "seq_len", "max_windows"];
    private static readonly string[] RatioKeys = ["qk", "ov", "mlp"];
    private static readonly Regex LayerRange = new(@"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$", RegexOptions.CultureInvariant);
    private static readonly Regex DevicePattern = new(@"^(cpu|cuda|auto|cuda:\d+)$", RegexOptions.CultureInvariant);
    private static readonly Regex YamlMessagePrefix = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

    /// <summary>Parses <paramref name="yamlText"/>, the contents of the recipe at <paramref name="recipePath"/>.</summary>
    /// <param name="yamlText">The recipe text.</param>
    /// <param name="recipePath">The recipe's path: diagnostics name it as given, and relative paths in the recipe resolve against its folder.</param>
    /// <param name="checkFiles">Whether to report model and data files that do not exist.</param>
    /// <returns>The recipe when there is no error, and every diagnostic.</returns>
    public static RecipeParseResult Parse(string yamlText, string recipePath, bool checkFiles = true)
    {
        var context = new ParseContext(recipePath);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(recipePath)) ?? Directory.GetCurrentDirectory();
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException exception)
        {
            var message = YamlMessagePrefix.Replace(exception.InnerException?.Message ?? exception.Message, string.Empty);
            context.Error(RecipeErrorCodes.InvalidYaml, exception.Start, $"invalid YAML: {message}");
            return new RecipeParseResult(null, context.Diagnostics);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence
            // before a plain scalar) instead of a YamlException; it still knows where it stopped.
            context.Error(RecipeErrorCodes.InvalidYaml, scanner.CurrentPosition, "invalid YAML: unexpected text (an unclosed [ or { before this point?)");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        if (stream.Documents.Count == 0 || MappingReader.IsNull(stream.Documents[0].RootNode))
        {
            context.Error(RecipeErrorCodes.MissingRequired, new Mark(), "the recipe is empty; it needs at least 'version', 'name', 'model', 'calibration' and 'compression'");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Error(RecipeErrorCodes.WrongType, stream.Documents[0].RootNode.Start, $"a recipe is a mapping of keys to values, found {MappingReader.Describe(stream.Documents[0].RootNode)}");
            return new RecipeParseResult(null, context.Diagnostics);
        }

        var recipe = ReadRecipe(context, root, baseDirectory, checkFiles);
        recipe.SetSource(recipePath, context.Locations);
        var ordered = context.Diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToArray();
        return new RecipeParseResult(context.HasErrors ? null : recipe, ordered);
    }

    private static Recipe ReadRecipe(ParseContext context, YamlMappingNode root, string baseDirectory, bool checkFiles)
    {
        var reader = new MappingReader(context, root, string.Empty, RootKeys);
        var recipe = new Recipe { BaseDirectory = baseDirectory };
        if (reader.Require("version") && reader.Long("version") is long version)
        {
            if (version != Recipe.CurrentVersion)
            {
                context.Error(RecipeErrorCodes.UnsupportedVersion, reader.ValueMark("version"), $"unsupported recipe version {version}; this tool reads version {Recipe.CurrentVersion}");
            }

            recipe.Version = (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, version));
        }

        if (reader.Require("name"))
        {
            recipe.Name = reader.String("name") ?? string.Empty;
            if (recipe.Name.Length > 0 && !Recipe.IsValidName(recipe.Name))
            {
                // The name becomes a folder (a3/<name>/) and a C# class name, so it stays portable.
                context.Error(RecipeErrorCodes.InvalidValue, reader.ValueMark("name"), $"the name '{recipe.Name}' must start with a letter or digit and use only letters, digits, '.', '_' and '-' (it names the output folder and the generated class)");
            }
        }

        if (reader.Require("model") && reader.String("model") is string model)
        {
            recipe.Model = model;
            CheckPath(context, reader, "model", recipe, checkFiles, allowDirectory: true);
        }

        if (reader.Require("calibration") && reader.Mapping("calibration") is YamlMappingNode calibration)
        {
            recipe.Calibration = ReadCalibration(context, calibration, recipe, checkFiles);
        }

        if (reader.Mapping("compression") is YamlMappingNode compression)
        {
            recipe.Compression = ReadCompression(context, compression);
        }
        else if (!reader.Has("compression"))
        {
            context.Error(RecipeErrorCodes.MissingRequired, reader.KeyMark("compression"), "missing required key 'compression' (qk/ov/mlp ratios or a budget)");
        }

        if (reader.String("device") is string device)
        {
            if (DevicePattern.IsMatch(device))
            {
                recipe.Device = device;
            }
            else
            {
                context.Error(RecipeErrorCodes.InvalidValue, reader.ValueMark("device"), $"unknown device '{device}'; allowed: cpu, cuda, cuda:N, auto");
            }
        }

        recipe.Dtype = reader.Enum<RecipeComputeDtype>("dtype") ?? recipe.Dtype;
        if (reader.Mapping("output") is YamlMappingNode output)
        {
            var outputReader = new MappingReader(context, output, "output", OutputKeys);
            recipe.Output.Dtype = outputReader.Enum<RecipeOutputDtype>("dtype") ?? recipe.Output.Dtype;
        }

        if (reader.Mapping("evaluation") is YamlMappingNode evaluation)
        {
            recipe.Evaluation = ReadEvaluation(context, evaluation, recipe, checkFiles);
        }

        return recipe;
    }

    private static CalibrationSection ReadCalibration(ParseContext context, YamlMappingNode node, Recipe recipe, bool checkFiles)
    {
        var reader = new MappingReader(context, node, "calibration", CalibrationKeys);
        var section = new CalibrationSection();
        if (reader.Require("data") && reader.String("data") is string data)
        {
            section.Data = data;
            recipe.Calibration = section;
            CheckPath(context, reader, "data", recipe, checkFiles, allowDirectory: false);
        }

        section.Format = reader.Enum<RecipeCalibrationFormat>("format") ?? section.Format;
        section.Samples = reader.Int("samples", 1) ?? section.Samples;
        section.SequenceLength = reader.Int("sequence_length", 1) ?? section.SequenceLength;
        section.Seed = reader.Long("seed") ?? section.Seed;
        section.Skip = reader.Int("skip", 0) ?? section.Skip;
        section.Take = reader.Int("take", 1);
        section.Separator = reader.String("separator") ?? section.Separator;
        if (reader.Int("token_width", 2) is int width)
        {
            if (width is 2 or 4)
            {
                section.TokenWidth = width;
            }
            else
            {
                context.Error(RecipeErrorCodes.InvalidValue, reader.ValueMark("token_width"), $"'calibration.token_width' must be 2 (uint16) or 4 (uint32), got {width}");
            }
        }

        return section;
    }

    private static CompressionSection ReadCompression(ParseContext context, YamlMappingNode node)
    {
        var reader = new MappingReader(context, node, "compression", CompressionKeys);
        var section = new CompressionSection
        {
            Method = reader.Enum<RecipeMethod>("method") ?? RecipeMethod.A3,
            Qk = Ratio(context, reader, "qk"),
            Ov = Ratio(context, reader, "ov"),
            Mlp = Ratio(context, reader, "mlp"),
            Allocation = reader.Enum<RecipeAllocation>("allocation") ?? RecipeAllocation.Uniform,
            RoundTo = reader.Int("round_to", 1) ?? 1,
            MlpSelector = reader.Enum<RecipeMlpSelector>("mlp_selector") ?? RecipeMlpSelector.PivotedCholesky,
            Sequential = reader.Bool("sequential") ?? true,
        };
        if (reader.Double("budget") is double budget)
        {
            if (budget > 0 && budget < 1)
            {
                section.Budget = budget;
            }
            else
            {
                context.Error(RecipeErrorCodes.OutOfRange, reader.ValueMark("budget"), $"'compression.budget' must be in (0, 1), got {Format(budget)}");
            }
        }

        if (reader.Sequence("overrides") is YamlSequenceNode overrides)
        {
            foreach (var item in overrides.Children)
            {
                if (item is YamlMappingNode mapping)
                {
                    section.Overrides.Add(ReadOverride(context, mapping, section.Overrides.Count));
                }
                else
                {
                    context.Error(RecipeErrorCodes.WrongType, item.Start, $"each of 'compression.overrides' is a mapping with 'layers' and ratios, found {MappingReader.Describe(item)}");
                }
            }
        }

        CheckConflicts(context, reader, section);
        return section;
    }

    private static void CheckConflicts(ParseContext context, MappingReader reader, CompressionSection section)
    {
        var ratioKeys = RatioKeys.Where(reader.Has).ToArray();
        bool hasBudget = reader.Has("budget");
        var method = RecipeNames.Of(section.Method);
        if (hasBudget && ratioKeys.Length > 0)
        {
            context.Error(RecipeErrorCodes.Conflict, reader.KeyMark("budget"), $"'compression.budget' conflicts with the explicit ratio{(ratioKeys.Length > 1 ? "s" : string.Empty)} {string.Join(", ", ratioKeys.Select(k => $"'{k}' (line {reader.KeyMark(k).Line})"))}; give a budget or qk/ov/mlp ratios, not both");
        }
        else if (!hasBudget && ratioKeys.Length == 0)
        {
            context.Error(RecipeErrorCodes.MissingRequired, reader.Node.Start, "'compression' needs either qk/ov/mlp ratios or a 'budget'");
        }

        if (section.Method != RecipeMethod.A3 && ratioKeys.Length > 0)
        {
            context.Error(RecipeErrorCodes.Conflict, reader.KeyMark(ratioKeys[0]), $"the {method} baseline takes a 'budget' (each linear layer keeps the rank that removes that fraction of its parameters), not qk/ov/mlp ratios");
        }

        if (section.Allocation == RecipeAllocation.Greedy && reader.Has("allocation"))
        {
            if (!hasBudget)
            {
                context.Error(RecipeErrorCodes.Conflict, reader.ValueMark("allocation"), "greedy allocation spreads a 'budget'; add 'budget' or use allocation: uniform");
            }
            else if (section.Method != RecipeMethod.A3)
            {
                context.Error(RecipeErrorCodes.Conflict, reader.ValueMark("allocation"), $"greedy allocation applies to a3 only; the {method} baseline allocates each layer the same ratio");
            }
        }

        if (hasBudget && section.Overrides.Count > 0)
        {
            context.Error(RecipeErrorCodes.Conflict, reader.KeyMark("overrides"), "per-layer 'overrides' refine qk/ov/mlp ratios; they do not combine with a 'budget'");
        }
    }

    private static LayerOverride ReadOverride(ParseContext context, YamlMappingNode node, int index)
    {
        var reader = new MappingReader(context, node, "compression.overrides", OverrideKeys, $"compression.overrides[{index}]");
        var result = new LayerOverride
        {
            Qk = Ratio(context, reader, "qk"),
            Ov = Ratio(context, reader, "ov"),
            Mlp = Ratio(context, reader, "mlp"),
        };
        if (reader.Require("layers") && reader.String("layers") is string layers)
        {
            result.Layers = layers;
            var match = LayerRange.Match(layers);
            if (!match.Success
                || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(match.Groups[2].Success ? match.Groups[2].Value : match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                context.Error(RecipeErrorCodes.InvalidValue, reader.ValueMark("layers"), $"'layers' is a layer index (3) or an inclusive range (0-7), got '{layers}'");
            }
            else if (last < first)
            {
                context.Error(RecipeErrorCodes.OutOfRange, reader.ValueMark("layers"), $"the layer range '{layers}' ends before it starts; write {last}-{first}");
            }
            else
            {
                result.First = first;
                result.Last = last;
            }
        }

        if (!RatioKeys.Any(reader.Has))
        {
            context.Warning(RecipeErrorCodes.MissingRequired, node.Start, "this override sets none of qk, ov and mlp, so it changes nothing");
        }

        return result;
    }

    private static EvaluationSection ReadEvaluation(ParseContext context, YamlMappingNode node, Recipe recipe, bool checkFiles)
    {
        var reader = new MappingReader(context, node, "evaluation", EvaluationKeys);
        var section = new EvaluationSection
        {
            Protocol = reader.Enum<RecipeEvaluationProtocol>("protocol") ?? RecipeEvaluationProtocol.Documents,
            Separator = reader.String("separator") ?? CalibrationSection.DefaultSeparator,
            SkipDocs = reader.Int("skip_docs", 0) ?? 0,
            MaxDocs = reader.Int("max_docs", 1),
            SeqLen = reader.Int("seq_len", 1),
            MaxWindows = reader.Int("max_windows", 1),
        };
        if (reader.Require("data") && reader.String("data") is string data)
        {
            section.Data = data;
            CheckPath(context, reader, "data", recipe, checkFiles, allowDirectory: false);
        }

        return section;
    }

    private static double? Ratio(ParseContext context, MappingReader reader, string key)
    {
        if (reader.Double(key) is not double value)
        {
            return null;
        }

        if (value >= 0 && value < 1)
        {
            return value;
        }

        context.Error(RecipeErrorCodes.OutOfRange, reader.ValueMark(key), $"the {key} ratio '{reader.Name(key)}' must be in [0, 1), got {Format(value)}");
        return null;
    }

    private static void CheckPath(ParseContext context, MappingReader reader, string key, Recipe recipe, bool checkFiles, bool allowDirectory)
    {
        var written = reader.String(key);
        if (!checkFiles || string.IsNullOrWhiteSpace(written))
        {
            return;
        }

        string full;
        try
        {
            full = recipe.ResolvePath(written!);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            context.Error(RecipeErrorCodes.InvalidValue, reader.ValueMark(key), $"'{reader.Name(key)}' is not a valid path: {exception.Message}");
            return;
        }

        if (!File.Exists(full) && !(allowDirectory && Directory.Exists(full)))
        {
            // A missing model is the first thing a copied recipe or sample meets, so say what to point it at.
            var message = allowDirectory
                ? $"'{reader.Name(key)}': no such model folder or file '{written}' (resolved against the recipe's folder to {full}); point '{reader.Name(key)}' at a local Hugging Face model folder (config.json, safetensors, tokenizer) or a llama2.c .bin file"
                : $"'{reader.Name(key)}': no such file '{written}' (resolved against the recipe's folder to {full})";
            context.Error(RecipeErrorCodes.FileNotFound, reader.ValueMark(key), message);
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
