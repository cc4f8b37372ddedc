using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using A3.Cli.Output;
using A3.Runtime;
using A3.Runtime.Benchmarks;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>
/// <c>a3 bench</c>: synthetic checkpoints at real layer shapes, written to a temporary folder and measured (GEMM
/// roofline, load time, prefill throughput, peak memory), as one table in markdown and JSON.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The environment variable naming the shared fixtures folder that holds the presets' tokenizers.</summary>
    private const string FixturesVariable = "A3_FIXTURES";

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var defaults = new SyntheticBenchmarkOptions();
        var presets = new Option<string>("--presets")
        {
            Description = $"Comma-separated presets: {string.Join(", ", SyntheticModelPresets.All.Select(preset => preset.Name))}.",
            DefaultValueFactory = _ => string.Join(",", SyntheticModelPresets.Default.Select(preset => preset.Name)),
        };
        var layers = new Option<string>("--layers") { Description = "Comma-separated decoder layer counts; each preset is measured at each.", DefaultValueFactory = _ => defaults.Layers.ToString(CultureInfo.InvariantCulture) };
        var windows = new Option<int>("--windows") { Description = "Windows of the forward-pass batch.", DefaultValueFactory = _ => defaults.Windows };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per window.", DefaultValueFactory = _ => defaults.SequenceLength };
        var storage = new Option<string>("--storage-dtype") { Description = "Dtype of the synthetic checkpoints on disk (computation is float32).", DefaultValueFactory = _ => "bfloat16" }
            .AcceptOnlyFromAmong("bfloat16", "float32");
        var seed = new Option<long>("--seed") { Description = "Seed of the weights and token ids.", DefaultValueFactory = _ => defaults.Seed };
        var fixtures = new Option<string?>("--fixtures") { Description = $"The shared fixtures folder holding the presets' tokenizers; default ${FixturesVariable}, else ../shared/fixtures." };
        var scratch = new Option<string?>("--scratch") { Description = "Where the temporary checkpoints are written; default the system temporary folder." };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file, and as JSON beside it (same name, .json)." };
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure synthetic checkpoints at real layer shapes: GEMM roofline, load time, prefill throughput, peak memory.")
        {
            presets, layers, windows, sequenceLength, storage, seed, fixtures, scratch, output, device, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var chosen = OptionLists.Split(parseResult.GetValue(presets)!, "--presets").Select(FindPreset).ToList();
            var layerCounts = OptionLists.Split(parseResult.GetValue(layers)!, "--layers").Select(text => ParsePositive(text, "--layers")).ToList();
            var options = new SyntheticBenchmarkOptions
            {
                Windows = Positive(parseResult.GetValue(windows), "--windows"),
                SequenceLength = Positive(parseResult.GetValue(sequenceLength), "--seq-len"),
                Seed = parseResult.GetValue(seed),
                StorageDtype = parseResult.GetValue(storage) == "float32" ? torch.ScalarType.Float32 : torch.ScalarType.BFloat16,
                Device = ComputeDevice.Resolve(parseResult.GetValue(device)!),
            };
            var fixturesRoot = Path.GetFullPath(parseResult.GetValue(fixtures) ?? Environment.GetEnvironmentVariable(FixturesVariable) ?? Path.Combine("..", "shared", "fixtures"));
            var tokenizers = chosen.ToDictionary(preset => preset.Name, preset => Tokenizer(fixturesRoot, preset));

            // One folder for the run, removed however it ends (Ctrl+C and SIGTERM arrive as cancellation).
            var root = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(parseResult.GetValue(scratch) ?? Path.GetTempPath()), $"a3-bench-{Guid.NewGuid():N}")).FullName;
            var rows = new List<SyntheticBenchmarkResult>();
            try
            {
                var progress = new StderrProgress(console.ErrorWriter);
                foreach (var preset in chosen)
                {
                    foreach (var count in layerCounts)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        rows.Add(SyntheticBenchmark.Run(preset, tokenizers[preset.Name], root, options with { Layers = count }, progress, cancellationToken));
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
                File.WriteAllText(full, markdown);
                File.WriteAllText(Path.ChangeExtension(full, ".json"), JsonSerializer.Serialize(document, CliJsonContext.Default.BenchOutput) + "\n");
            }

            if (parseResult.GetValue(json))
            {
                console.Json(document, CliJsonContext.Default.BenchOutput);
            }
            else
            {
                console.Line(markdown.TrimEnd('\n'));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static SyntheticModelPreset FindPreset(string name) =>
        SyntheticModelPresets.Find(name)
        ?? throw new A3InputException(CliErrorCodes.InvalidOption, $"unknown preset \"{name}\" in --presets; expected {string.Join(", ", SyntheticModelPresets.All.Select(preset => preset.Name))}");

    private static string Tokenizer(string fixturesRoot, SyntheticModelPreset preset)
    {
        var path = Path.Combine(fixturesRoot, preset.TokenizerFixture);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new A3InputException(A3ErrorCodes.FileNotFound, $"the tokenizer of preset {preset.Name} is missing; point --fixtures or {FixturesVariable} at the shared fixtures folder", path);
    }

    private static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Positive(value, option)
            : throw new A3InputException(CliErrorCodes.InvalidOption, $"\"{text}\" in {option} is not a whole number");

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new A3InputException(CliErrorCodes.InvalidOption, $"{option} must be 1 or more, got {value}");
}
