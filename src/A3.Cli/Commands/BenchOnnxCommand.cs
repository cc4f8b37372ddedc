using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using A3.Cli.Output;
using A3.Onnx;
using A3.OnnxRuntime.Benchmarks;
using A3.Runtime.Benchmarks;
using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary>
/// <c>a3 bench-onnx</c>: the original model, A3 (uniform allocation) and SVD-LLM at one budget, each exported to ONNX and
/// measured by ONNX Runtime's CPU provider in a child process of its own (prefill and greedy decode tokens/s, batch 1;
/// weights on disk; the child's peak memory). <c>--model</c> compresses a real model for real; <c>--preset</c> writes
/// seeded synthetic checkpoints at the compressed shapes. One model exists on disk at a time.
/// </summary>
internal static class BenchOnnxCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var defaults = new OnnxThroughputOptions();
        var model = new Option<string?>("--model") { Description = "A real model folder, compressed here (16 × 96 calibration tokens of --calibration-data)." };
        var calibration = new Option<string?>("--calibration-data") { Description = "The text file --model is calibrated on." };
        var preset = new Option<string?>("--preset") { Description = $"A synthetic preset instead of --model, at the compressed shapes: {SyntheticPresetOptions.PresetNames}." };
        var layers = new Option<int>("--layers") { Description = "Decoder layers of the --preset checkpoints.", DefaultValueFactory = _ => 2 };
        var budget = new Option<double>("--budget") { Description = "Fraction of decoder-linear parameters each method removes.", DefaultValueFactory = _ => 0.2 };
        var prefillLengths = new Option<string>("--prefill-lengths") { Description = "Comma-separated prompt lengths of the prefills; decoding follows a prompt of the first.", DefaultValueFactory = _ => string.Join(",", defaults.PrefillLengths.Select(Invariant)) };
        var decodeTokens = new Option<int>("--decode-tokens") { Description = "Tokens decoded one at a time with the KV cache.", DefaultValueFactory = _ => defaults.DecodeTokens };
        var rounds = new Option<int>("--rounds") { Description = "Counted runs of each figure after a warm-up; the fastest counts.", DefaultValueFactory = _ => defaults.Rounds };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => defaults.IntraOpThreads };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic weights and the token ids.", DefaultValueFactory = _ => 0 };
        var synthetic = new SyntheticPresetOptions();
        var scratch = new Option<string?>("--scratch") { Description = "Where the temporary models and exports are written; default the system temporary folder." };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file, and the rows as JSON beside it (same name, .json)." };
        var measure = new Option<string?>("--measure") { Description = "Measure this exported folder in this process (how the verb runs its children).", Hidden = true };
        var rowOutput = new Option<string?>("--row-json") { Description = "Where --measure writes its row.", Hidden = true };
        var command = new Command("bench-onnx", "Measure the original, A3 and SVD-LLM models at one budget with ONNX Runtime on the CPU: prefill and decode tokens/s, weights on disk, peak memory.")
        {
            model, calibration, preset, layers, budget, prefillLengths, decodeTokens, rounds, threads, seed, scratch, output, measure, rowOutput,
        };
        synthetic.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var lengths = OptionLists.Split(parseResult.GetValue(prefillLengths)!, "--prefill-lengths").Select(text => SyntheticPresetOptions.ParsePositive(text, "--prefill-lengths")).ToList();
            var options = new OnnxThroughputOptions
            {
                PrefillLengths = lengths,
                PromptLength = lengths[0],
                DecodeTokens = SyntheticPresetOptions.Positive(parseResult.GetValue(decodeTokens), "--decode-tokens"),
                Rounds = SyntheticPresetOptions.Positive(parseResult.GetValue(rounds), "--rounds"),
                IntraOpThreads = SyntheticPresetOptions.Positive(parseResult.GetValue(threads), "--threads"),
                Seed = parseResult.GetValue(seed),
            };
            if (parseResult.GetValue(measure) is { } exported)
            {
                var rowPath = parseResult.GetValue(rowOutput) ?? throw new A3InputException(CliErrorCodes.InvalidOption, "--measure needs --row-json");
                var measured = OnnxThroughput.Measure(Path.Combine(exported, OnnxExporter.ModelFileName), options, cancellationToken);
                var row = new OnnxBenchRow(string.Empty, string.Empty, 0, 0, PeakMemory.ProcessPeakResidentBytes(), measured.LoadSeconds, lengths, [.. measured.Prefill.Select(rate => rate.TokensPerSecond)], measured.DecodeTokensPerSecond);
                await File.WriteAllTextAsync(rowPath, JsonSerializer.Serialize(row, CliJsonContext.Default.OnnxBenchRow), cancellationToken);
                return ExitCodes.Success;
            }

            var modelPath = parseResult.GetValue(model);
            var presetName = parseResult.GetValue(preset);
            if ((modelPath is null) == (presetName is null))
            {
                throw new A3InputException(CliErrorCodes.InvalidOption, "give either --model (with --calibration-data) or --preset");
            }

            var chosenBudget = parseResult.GetValue(budget) is > 0 and < 1 and var b ? b : throw new A3InputException(CliErrorCodes.InvalidOption, "--budget must lie strictly between 0 and 1");
            var calibrationData = modelPath is null ? null : parseResult.GetValue(calibration) ?? throw new A3InputException(CliErrorCodes.InvalidOption, "--model needs --calibration-data");
            var chosenPreset = presetName is null ? null : SyntheticPresetOptions.FindPreset(presetName, "--preset");
            var tokenizer = chosenPreset is null ? null : synthetic.Tokenizer(parseResult, chosenPreset);
            var layerCount = SyntheticPresetOptions.Positive(parseResult.GetValue(layers), "--layers");
            var progress = new StderrProgress(console.ErrorWriter);
            var root = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(parseResult.GetValue(scratch) ?? Path.GetTempPath()), $"a3-bench-onnx-{Guid.NewGuid():N}")).FullName;
            var rows = new List<OnnxBenchRow>();
            try
            {
                foreach (var name in OnnxBenchModels.Names)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    console.ErrorWriter.WriteLine($"bench-onnx: {name}");
                    var folder = Path.Combine(root, name);
                    string source;
                    ModelConfig config;
                    if (chosenPreset is null)
                    {
                        source = await OnnxBenchModels.CompressAsync(name, modelPath!, calibrationData!, chosenBudget, folder, cancellationToken);
                        using var checkpoint = ModelCheckpoint.Open(source);
                        config = checkpoint.Config;
                    }
                    else
                    {
                        config = OnnxBenchModels.Shapes(name, chosenPreset.ToConfig(layerCount), chosenBudget);
                        source = OnnxBenchModels.WriteSynthetic(config, tokenizer!, folder, parseResult.GetValue(seed), synthetic.StorageDtype(parseResult), cancellationToken);
                    }

                    var export = OnnxExporter.Export(source, folder + ".onnx", progress: progress, cancellationToken: cancellationToken);
                    if (source != modelPath)
                    {
                        Directory.Delete(source, recursive: true);
                    }

                    var bytes = Directory.EnumerateFiles(export.OutputFolder).Sum(file => new FileInfo(file).Length);
                    var measured = await MeasureInChildAsync(parseResult, root, name, export.OutputFolder, cancellationToken);
                    Directory.Delete(export.OutputFolder, recursive: true);
                    rows.Add(measured with
                    {
                        Model = name,
                        Shapes = OnnxBenchModels.Describe(config),
                        DecoderLinearParameters = ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters,
                        WeightBytes = bytes,
                    });
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }

            var title = chosenPreset is null
                ? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelPath!)))}, compressed for real"
                : $"{chosenPreset.Name} shapes, {layerCount} layers, seeded synthetic weights (shape-equivalent models)";
            var markdown = OnnxBenchTable.Markdown(title, chosenBudget, options, rows);
            if (parseResult.GetValue(output) is { } path)
            {
                var full = Path.GetFullPath(path);
                await File.WriteAllTextAsync(full, markdown, cancellationToken);
                await File.WriteAllTextAsync(Path.ChangeExtension(full, ".json"), JsonSerializer.Serialize(rows, CliJsonContext.Default.ListOnnxBenchRow) + "\n", cancellationToken);
            }

            console.Line(markdown.TrimEnd('\n'));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs this verb again in a child process that measures one exported folder, and reads back its row.</summary>
    private static async Task<OnnxBenchRow> MeasureInChildAsync(ParseResult parseResult, string root, string name, string exported, CancellationToken cancellationToken)
    {
        var rowPath = Path.Combine(root, name + ".row.json");
        List<string> arguments = ["bench-onnx", "--measure", exported, "--row-json", rowPath];
        foreach (var option in parseResult.CommandResult.Command.Options)
        {
            if (option.Name is "--prefill-lengths" or "--decode-tokens" or "--rounds" or "--threads" or "--seed" && parseResult.GetResult(option) is { Implicit: false } result)
            {
                arguments.Add(option.Name);
                arguments.Add(string.Join(",", result.Tokens.Select(token => token.Value)));
            }
        }

        var exitCode = await BenchChildProcess.RunAsync(arguments, name, cancellationToken);
        if (exitCode != ExitCodes.Success)
        {
            throw new InvalidOperationException($"measuring {name} failed (exit code {exitCode})");
        }

        return JsonSerializer.Deserialize(await File.ReadAllTextAsync(rowPath, cancellationToken), CliJsonContext.Default.OnnxBenchRow)
            ?? throw new InvalidOperationException($"{rowPath} holds no row");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
