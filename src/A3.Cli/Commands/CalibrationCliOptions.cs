using System.CommandLine;
using A3.Runtime;
using A3.Compression.Calibration;

namespace A3.Cli.Commands;

/// <summary>The calibration options shared by every verb that calibrates.</summary>
internal sealed class CalibrationCliOptions
{
    private readonly Option<string?> file;
    private readonly Option<string> format = new Option<string>("--calibration-format")
    {
        Description = "documents (split at --separator), text (one continuous text) or tokens (uint16/uint32 little-endian ids).",
        DefaultValueFactory = _ => "documents",
    }.AcceptOnlyFromAmong("documents", "text", "tokens");

    private readonly Option<string> separator = new("--separator") { Description = "Document separator.", DefaultValueFactory = _ => "<|endoftext|>" };
    private readonly Option<int> skip = new("--calibration-skip") { Description = "Documents (or windows) to skip first, so calibration and evaluation never overlap." };
    private readonly Option<int?> take = new("--calibration-take") { Description = "Documents (or windows) to draw from at most." };
    private readonly Option<int> samples = new("--samples") { Description = "Calibration windows.", DefaultValueFactory = _ => 128 };
    private readonly Option<int> sequenceLength = new("--seq-len") { Description = "Tokens per calibration window.", DefaultValueFactory = _ => 256 };
    private readonly Option<long> seed = new("--seed") { Description = "Seed of the window sampler." };
    private readonly Option<int> tokenWidth = new("--token-width") { Description = "Bytes per id of a tokens file: 2 or 4.", DefaultValueFactory = _ => 2 };

    /// <summary>Initializes the options; <paramref name="required"/> is false where a recipe may give the calibration instead.</summary>
    public CalibrationCliOptions(bool required = true)
    {
        file = new Option<string?>("--calibration") { Description = "The calibration text or token file.", Required = required };
    }

    /// <summary>Returns whether any calibration option was given on the command line.</summary>
    public bool AnyGiven(ParseResult parseResult) =>
        new Option[] { file, format, separator, skip, take, samples, sequenceLength, seed, tokenWidth }.Any(option => parseResult.GetResult(option) is { Implicit: false });

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { file, format, separator, skip, take, samples, sequenceLength, seed, tokenWidth })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the calibration file path and options.</summary>
    public (string Path, CalibrationOptions Options) Read(ParseResult parseResult)
    {
        var given = parseResult.GetValue(file)
            ?? throw new A3InputException(A3ErrorCodes.InvalidOption, "--calibration FILE is required (or give a recipe)");
        var path = Path.GetFullPath(given);
        if (!File.Exists(path))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, "no such calibration file", path);
        }

        return (path, new CalibrationOptions
        {
            Format = parseResult.GetValue(format) switch { "text" => CalibrationFormat.Text, "tokens" => CalibrationFormat.Tokens, _ => CalibrationFormat.Documents },
            Separator = parseResult.GetValue(separator)!,
            Skip = parseResult.GetValue(skip),
            Take = parseResult.GetValue(take),
            Samples = parseResult.GetValue(samples),
            SequenceLength = parseResult.GetValue(sequenceLength),
            Seed = parseResult.GetValue(seed),
            TokenWidth = parseResult.GetValue(tokenWidth),
        });
    }
}
