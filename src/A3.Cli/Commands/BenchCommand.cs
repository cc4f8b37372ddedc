using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using A3.Cli.Output;
using A3.Compression.Benchmarks;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Benchmarks;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>
/// <c>a3 bench</c>: synthetic checkpoints at real layer shapes, written to a temporary folder and measured (GEMM
/// roofline, load time, prefill and one layer's forward pass; each method's compression phase by phase with its peak
/// memory; the original and compressed models' prefill and decode), as tables in markdown and JSON. Each preset and
/// layer count runs in a child process, so each row's peak memory is its own.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var defaults = new SyntheticBenchmarkOptions();
        var compressionDefaults = new CompressionBenchmarkOptions();
        var inferenceDefaults = new InferenceOptions();
        var presets = new Option<string>("--presets")
        {
            Description = $"Comma-separated presets: {SyntheticPresetOptions.PresetNames}.",
            DefaultValueFactory = _ => string.Join(",", SyntheticModelPresets.Default.Select(preset => preset.Name)),
        };
        var layers = new Option<string>("--layers") { Description = "Comma-separated decoder layer counts; each preset is measured at each.", DefaultValueFactory = _ => Invariant(defaults.Layers) };
        var windows = new Option<int>("--windows") { Description = "Windows of the forward-pass batch and of the calibration set.", DefaultValueFactory = _ => compressionDefaults.Windows };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per window.", DefaultValueFactory = _ => compressionDefaults.SequenceLength };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights and token ids.", DefaultValueFactory = _ => defaults.Seed };
        var budget = new Option<double>("--budget") { Description = "Fraction of decoder-linear parameters each method removes.", DefaultValueFactory = _ => compressionDefaults.Budget };
        var methods = new Option<string>("--methods")
        {
            Description = $"Comma-separated methods compressed at --budget (A3 with a uniform allocation): {string.Join(", ", RecipeNames.All<RecipeMethod>())}.",
            DefaultValueFactory = _ => string.Join(",", compressionDefaults.Methods.Select(RecipeNames.Of)),
        };
        var skipCompression = new Option<bool>("--skip-compression") { Description = "Measure the original checkpoints only (no compression, no inference comparison)." };
        var prefillLengths = new Option<string>("--prefill-lengths") { Description = "Comma-separated prompt lengths of the inference comparison's prefills.", DefaultValueFactory = _ => string.Join(",", inferenceDefaults.PrefillLengths.Select(Invariant)) };
        var decodeTokens = new Option<int>("--decode-tokens") { Description = "Tokens decoded one at a time after a prompt of the first prefill length.", DefaultValueFactory = _ => inferenceDefaults.DecodeTokens };
        var rounds = new Option<int>("--rounds") { Description = "Times each model is loaded and measured, taking turns; the fastest counts.", DefaultValueFactory = _ => compressionDefaults.InferenceRounds };
        var synthetic = new SyntheticPresetOptions();
        var scratch = new Option<string?>("--scratch") { Description = "Where the temporary checkpoints are written; default the system temporary folder." };
        var output = new Option<string?>("--out") { Description = "Also write the tables to this markdown file, and as JSON beside it (same name, .json)." };
        var rowOutput = new Option<string?>("--row-json") { Description = "Run one preset and layer count in this process and write its row here (how the verb runs its children).", Hidden = true };
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure synthetic checkpoints at real layer shapes: GEMM roofline, load, forward pass, compression phases, peak memory, and the compressed models' prefill and decode.")
        {
            presets, layers, windows, sequenceLength, seed, budget, methods, skipCompression, prefillLengths, decodeTokens, rounds, scratch, output, rowOutput, device, json,
        };
        synthetic.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var chosen = OptionLists.Split(parseResult.GetValue(presets)!, "--presets").Select(name => SyntheticPresetOptions.FindPreset(name, "--presets")).ToList();
            var layerCounts = OptionLists.Split(parseResult.GetValue(layers)!, "--layers").Select(text => SyntheticPresetOptions.ParsePositive(text, "--layers")).ToList();
            var options = new SyntheticBenchmarkOptions
            {
                Windows = SyntheticPresetOptions.Positive(parseResult.GetValue(windows), "--windows"),
                SequenceLength = SyntheticPresetOptions.Positive(parseResult.GetValue(sequenceLength), "--seq-len"),
                Seed = parseResult.GetValue(seed),
                StorageDtype = synthetic.StorageDtype(parseResult),
                Device = ComputeDevice.Resolve(parseResult.GetValue(device)!),
            };
            var lengths = OptionLists.Split(parseResult.GetValue(prefillLengths)!, "--prefill-lengths").Select(text => SyntheticPresetOptions.ParsePositive(text, "--prefill-lengths")).ToList();
            var compression = parseResult.GetValue(skipCompression) ? null : new CompressionBenchmarkOptions
            {
                Budget = Budget(parseResult.GetValue(budget)),
                Methods = OptionLists.Split(parseResult.GetValue(methods)!, "--methods").Select(MethodNamed).ToList(),
                Windows = options.Windows,
                SequenceLength = options.SequenceLength,
                Seed = options.Seed,
                Device = options.Device,
                Inference = new InferenceOptions
                {
                    PrefillLengths = lengths,
                    PromptLength = lengths[0],
                    DecodeTokens = SyntheticPresetOptions.Positive(parseResult.GetValue(decodeTokens), "--decode-tokens"),
                    Seed = options.Seed,
                },
                InferenceRounds = SyntheticPresetOptions.Positive(parseResult.GetValue(rounds), "--rounds"),
            };
            var tokenizers = chosen.ToDictionary(preset => preset.Name, preset => synthetic.Tokenizer(parseResult, preset));
            var progress = new StderrProgress(console.ErrorWriter);

            if (parseResult.GetValue(rowOutput) is { } rowPath)
            {
                if (chosen.Count != 1 || layerCounts.Count != 1)
                {
                    throw new A3InputException(CliErrorCodes.InvalidOption, "--row-json runs one preset at one layer count");
                }

                var scratchFolder = Path.GetFullPath(parseResult.GetValue(scratch) ?? Path.GetTempPath());
                var row = RunRow(chosen[0], tokenizers[chosen[0].Name], scratchFolder, options with { Layers = layerCounts[0] }, compression, progress, cancellationToken);
                await File.WriteAllTextAsync(rowPath, JsonSerializer.Serialize(row, CliJsonContext.Default.BenchRow), cancellationToken);
                return ExitCodes.Success;
            }

            // One folder for the run, removed however it ends (Ctrl+C and SIGTERM arrive as cancellation; a child is killed first).
            var root = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(parseResult.GetValue(scratch) ?? Path.GetTempPath()), $"a3-bench-{Guid.NewGuid():N}")).FullName;
            var rows = new List<BenchRow>();
            try
            {
                foreach (var preset in chosen)
                {
                    foreach (var count in layerCounts)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var (row, exitCode) = await RunChildAsync(parseResult, root, preset.Name, count, cancellationToken);
                        if (row is null)
                        {
                            // The child has printed its error; its exit code says what kind it was.
                            return exitCode;
                        }

                        rows.Add(row);
                    }
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }

            var markdown = BenchTable.Markdown(rows);
            var document = new BenchOutput(Environment.ProcessorCount, rows);
            if (parseResult.GetValue(output) is { } path)
            {
                var full = Path.GetFullPath(path);
                await File.WriteAllTextAsync(full, markdown, cancellationToken);
                await File.WriteAllTextAsync(Path.ChangeExtension(full, ".json"), JsonSerializer.Serialize(document, CliJsonContext.Default.BenchOutput) + "\n", cancellationToken);
            }

            if (parseResult.GetValue(json))
            {
                console.Json(document, CliJsonContext.Default.BenchOutput);
            }
            else
            {
                console.Line(markdown.TrimEnd('\n'));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Measures one preset at one layer count: the checkpoint's runtime figures, then (unless skipped) the compressions and the inference comparison.</summary>
    private static BenchRow RunRow(
        SyntheticModelPreset preset,
        string tokenizer,
        string scratchFolder,
        SyntheticBenchmarkOptions options,
        CompressionBenchmarkOptions? compression,
        StderrProgress progress,
        CancellationToken cancellationToken)
    {
        using var checkpoint = SyntheticCheckpoint.Create(preset, tokenizer, scratchFolder, options, progress, cancellationToken);

        // The compressions run first, in a fresh process, so their peak memory is not inflated by what the allocators kept from earlier work.
        var compressed = compression is null ? null : CompressionBenchmark.Run(checkpoint, compression, progress, cancellationToken);
        var runtime = SyntheticBenchmark.Measure(checkpoint, options, progress, cancellationToken);
        return new BenchRow(runtime, compressed);
    }

    /// <summary>
    /// Runs this verb again in a child process for one preset and layer count and reads back its row; returns no row
    /// and the child's exit code when it failed (it prints its own error).
    /// </summary>
    /// <exception cref="OperationCanceledException">This run was cancelled (the child is killed first), or the child was interrupted.</exception>
    private static async Task<(BenchRow? Row, int ExitCode)> RunChildAsync(ParseResult parseResult, string root, string preset, int layers, CancellationToken cancellationToken)
    {
        var rowPath = Path.Combine(root, $"{preset}-{layers}.json");

        var exitCode = await BenchChildProcess.RunAsync(ChildArguments(parseResult, root, preset, layers, rowPath), $"{preset} at {layers} layers", cancellationToken);
        if (exitCode != ExitCodes.Success)
        {
            return (null, exitCode);
        }

        var row = JsonSerializer.Deserialize(await File.ReadAllTextAsync(rowPath, cancellationToken), CliJsonContext.Default.BenchRow)
            ?? throw new InvalidOperationException($"{rowPath} holds no row");
        return (row, ExitCodes.Success);
    }

    /// <summary>The child's command line: this one's options as parsed, for one preset and layer count, writing its row to <paramref name="rowPath"/>.</summary>
    private static List<string> ChildArguments(ParseResult parseResult, string root, string preset, int layers, string rowPath)
    {
        var arguments = new List<string> { "bench", "--presets", preset, "--layers", Invariant(layers), "--scratch", root, "--row-json", rowPath };
        foreach (var option in parseResult.CommandResult.Command.Options)
        {
            if (option.Name is "--presets" or "--layers" or "--scratch" or "--row-json" or "--out" or "--json" || parseResult.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            arguments.Add(option.Name);
            arguments.AddRange(result.Tokens.Select(token => token.Value));
        }

        return arguments;
    }

    private static double Budget(double value) =>
        value is > 0 and < 1 ? value : throw new A3InputException(CliErrorCodes.InvalidOption, $"--budget must lie strictly between 0 and 1, got {Invariant(value)}");

    private static RecipeMethod MethodNamed(string name) =>
        RecipeNames.Parse<RecipeMethod>(name)
        ?? throw new A3InputException(CliErrorCodes.InvalidOption, $"unknown method \"{name}\" in --methods; expected {string.Join(", ", RecipeNames.All<RecipeMethod>())}");

    private static string Invariant<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
