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
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var defaults = new SyntheticBenchmarkOptions();
        var presets = new Option<string>("--presets")
        {
            Description = $"Comma-separated presets: {SyntheticPresetOptions.PresetNames}.",
            DefaultValueFactory = _ => string.Join(",", SyntheticModelPresets.Default.Select(preset => preset.Name)),
        };
        var layers = new Option<string>("--layers") { Description = "Comma-separated decoder layer counts; each preset is measured at each.", DefaultValueFactory = _ => defaults.Layers.ToString(CultureInfo.InvariantCulture) };
        var windows = new Option<int>("--windows") { Description = "Windows of the forward-pass batch.", DefaultValueFactory = _ => defaults.Windows };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per window.", DefaultValueFactory = _ => defaults.SequenceLength };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights and token ids.", DefaultValueFactory = _ => defaults.Seed };
        var synthetic = new SyntheticPresetOptions();
        var scratch = new Option<string?>("--scratch") { Description = "Where the temporary checkpoints are written; default the system temporary folder." };
        var output = new Option<string?>("--out") { Description = "Also write the table to this markdown file, and as JSON beside it (same name, .json)." };
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Measure synthetic checkpoints at real layer shapes: GEMM roofline, load time, prefill throughput, peak memory.")
        {
            presets, layers, windows, sequenceLength, seed, scratch, output, device, json,
        };
        synthetic.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
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
            var tokenizers = chosen.ToDictionary(preset => preset.Name, preset => synthetic.Tokenizer(parseResult, preset));

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
}
