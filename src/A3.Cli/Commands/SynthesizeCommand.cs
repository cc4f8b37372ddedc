using System.CommandLine;
using System.Globalization;
using A3.Cli.Output;
using A3.Runtime.Benchmarks;
using A3.Runtime.Native;

namespace A3.Cli.Commands;

/// <summary>
/// <c>a3 synthesize</c>: a seeded synthetic checkpoint at a real model's layer shapes (weights do not change what
/// compression costs), for measuring <c>a3 compress</c> and <c>a3 eval</c> at sizes no fixture has.
/// </summary>
internal static class SynthesizeCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var preset = new Option<string>("--preset") { Description = $"The layer shapes: {SyntheticPresetOptions.PresetNames}.", Required = true };
        var layers = new Option<int>("--layers") { Description = "Decoder layers.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "The model folder to write (atomically).", Required = true };
        var synthetic = new SyntheticPresetOptions();
        var json = CommonOptions.Json();
        var command = new Command("synthesize", "Write a seeded synthetic Hugging Face checkpoint at a real model's layer shapes.") { preset, layers, seed, output, json };
        synthetic.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var chosen = SyntheticPresetOptions.FindPreset(parseResult.GetValue(preset)!, "--preset");
            var count = SyntheticPresetOptions.Positive(parseResult.GetValue(layers), "--layers");
            var tokenizer = synthetic.Tokenizer(parseResult, chosen);
            var folder = Path.GetFullPath(parseResult.GetValue(output)!);
            TorchNative.EnsureLoaded();
            SyntheticCheckpointWriter.Write(
                folder, chosen.ToConfig(count), tokenizer, parseResult.GetValue(seed), synthetic.StorageDtype(parseResult), progress: new StderrProgress(console.ErrorWriter), cancellationToken: cancellationToken);
            var bytes = Directory.EnumerateFiles(folder).Sum(file => new FileInfo(file).Length);
            if (parseResult.GetValue(json))
            {
                console.Json(new SynthesizeOutput(folder, chosen.Name, count, bytes), CliJsonContext.Default.SynthesizeOutput);
            }
            else
            {
                console.Line(string.Create(CultureInfo.InvariantCulture, $"wrote {folder}: {chosen.Name}, {count} layers, {bytes / 1e9:F2} GB"));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
