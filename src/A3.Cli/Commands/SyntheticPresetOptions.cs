using System.CommandLine;
using System.Globalization;
using A3.Runtime;
using A3.Runtime.Benchmarks;
using TorchSharp;

namespace A3.Cli.Commands;

/// <summary>The options that choose and write synthetic checkpoints, shared by <c>a3 bench</c> and <c>a3 synthesize</c>.</summary>
internal sealed class SyntheticPresetOptions
{
    /// <summary>The environment variable naming the shared fixtures folder that holds the presets' tokenizers.</summary>
    private const string FixturesVariable = "A3_FIXTURES";

    /// <summary>Gets the dtype of the checkpoint on disk.</summary>
    public Option<string> Storage { get; } = new Option<string>("--storage-dtype") { Description = "Dtype of the synthetic checkpoints on disk (computation is float32).", DefaultValueFactory = _ => "bfloat16" }
        .AcceptOnlyFromAmong("bfloat16", "float32");

    /// <summary>Gets the shared fixtures folder.</summary>
    public Option<string?> Fixtures { get; } = new("--fixtures") { Description = $"The shared fixtures folder holding the presets' tokenizers; default ${FixturesVariable}, else ../shared/fixtures." };

    /// <summary>Gets the names of every preset, for descriptions.</summary>
    public static string PresetNames => string.Join(", ", SyntheticModelPresets.All.Select(preset => preset.Name));

    /// <summary>Returns the preset named <paramref name="name"/>, or a located error naming <paramref name="option"/>.</summary>
    public static SyntheticModelPreset FindPreset(string name, string option) =>
        SyntheticModelPresets.Find(name)
        ?? throw new A3InputException(CliErrorCodes.InvalidOption, $"unknown preset \"{name}\" in {option}; expected {PresetNames}");

    /// <summary>Returns a whole number of at least 1 from <paramref name="text"/>, or an error naming <paramref name="option"/>.</summary>
    public static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Positive(value, option)
            : throw new A3InputException(CliErrorCodes.InvalidOption, $"\"{text}\" in {option} is not a whole number");

    /// <summary>Returns <paramref name="value"/> when it is at least 1, else an error naming <paramref name="option"/>.</summary>
    public static int Positive(int value, string option) =>
        value >= 1 ? value : throw new A3InputException(CliErrorCodes.InvalidOption, $"{option} must be 1 or more, got {value}");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Storage);
        command.Options.Add(Fixtures);
    }

    /// <summary>Returns the storage dtype chosen.</summary>
    public torch.ScalarType StorageDtype(ParseResult parseResult) =>
        parseResult.GetValue(Storage) == "float32" ? torch.ScalarType.Float32 : torch.ScalarType.BFloat16;

    /// <summary>Returns the tokenizer file or folder of <paramref name="preset"/> in the fixtures folder chosen, or an error saying how to point at it.</summary>
    public string Tokenizer(ParseResult parseResult, SyntheticModelPreset preset)
    {
        var root = Path.GetFullPath(parseResult.GetValue(Fixtures) ?? Environment.GetEnvironmentVariable(FixturesVariable) ?? Path.Combine("..", "shared", "fixtures"));
        var path = Path.Combine(root, preset.TokenizerFixture);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new A3InputException(A3ErrorCodes.FileNotFound, $"the tokenizer of preset {preset.Name} is missing; point --fixtures or {FixturesVariable} at the shared fixtures folder", path);
    }
}
