using System.CommandLine;
using A3.Recipes;

namespace A3.Cli.Commands;

/// <summary>
/// The calibration options shared by every verb that calibrates: the command-line face of a recipe's
/// <c>calibration</c> section, whose defaults and spellings they take.
/// </summary>
internal sealed class CalibrationCliOptions
{
    private static readonly CalibrationSection Defaults = new();

    private readonly Option<string?> file = new("--calibration") { Description = "The calibration text or token file." };
    private readonly Option<string?> format = new Option<string?>("--calibration-format")
    {
        Description = $"documents (split at --separator), text (one continuous text) or tokens (uint16/uint32 little-endian ids); default {RecipeNames.Of(Defaults.Format)}.",
    }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeCalibrationFormat>()]);

    private readonly Option<string?> separator = new("--separator") { Description = $"Document separator; default {Defaults.Separator}." };
    private readonly Option<int?> skip = new("--calibration-skip") { Description = "Documents (or windows) to skip first, so calibration and evaluation never overlap." };
    private readonly Option<int?> take = new("--calibration-take") { Description = "Documents (or windows) to draw from at most." };
    private readonly Option<int?> samples = new("--samples") { Description = $"Calibration windows; default {Defaults.Samples}." };
    private readonly Option<int?> sequenceLength = new("--seq-len") { Description = $"Tokens per calibration window; default {Defaults.SequenceLength}." };
    private readonly Option<long?> seed = new("--seed") { Description = "Seed of the window sampler." };
    private readonly Option<int?> tokenWidth = new("--token-width") { Description = $"Bytes per id of a tokens file: 2 or 4; default {Defaults.TokenWidth}." };
    private readonly Option<int?> selectionSamples = new("--selection-samples") { Description = $"Windows the search allocation compares plans on, drawn apart from the calibration windows; default {Defaults.SelectionSamples}." };

    private IEnumerable<Option> All => [file, format, separator, skip, take, samples, sequenceLength, seed, tokenWidth, selectionSamples];

    /// <summary>Returns whether any calibration option was given on the command line.</summary>
    public bool AnyGiven(ParseResult parseResult) => All.Any(option => parseResult.GetResult(option) is { Implicit: false });

    /// <summary>Adds the options to <paramref name="command"/> and records which recipe key each sets.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        SettingFlags.Bind(command, RecipeKeys.CalibrationData, file);
        SettingFlags.Bind(command, RecipeKeys.CalibrationFormat, format);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSeparator, separator);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSkip, skip);
        SettingFlags.Bind(command, RecipeKeys.CalibrationTake, take);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSamples, samples);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSequenceLength, sequenceLength);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSeed, seed);
        SettingFlags.Bind(command, RecipeKeys.CalibrationTokenWidth, tokenWidth);
        SettingFlags.Bind(command, RecipeKeys.CalibrationSelectionSamples, selectionSamples);
    }

    /// <summary>Reads the options into a recipe's calibration section; unset options keep the recipe's defaults.</summary>
    /// <exception cref="InvalidSettingException">No calibration file was given.</exception>
    public CalibrationSection Read(ParseResult parseResult)
    {
        var section = new CalibrationSection
        {
            Data = Path.GetFullPath(parseResult.GetValue(file) ?? throw new InvalidSettingException(RecipeKeys.CalibrationData, "is required: give the calibration text or token file")),
        };
        section.Format = parseResult.GetValue(format) is { } formatName ? RecipeNames.Parse<RecipeCalibrationFormat>(formatName)!.Value : section.Format;
        section.Separator = parseResult.GetValue(separator) ?? section.Separator;
        section.Skip = parseResult.GetValue(skip) ?? section.Skip;
        section.Take = parseResult.GetValue(take) ?? section.Take;
        section.Samples = parseResult.GetValue(samples) ?? section.Samples;
        section.SequenceLength = parseResult.GetValue(sequenceLength) ?? section.SequenceLength;
        section.Seed = parseResult.GetValue(seed) ?? section.Seed;
        section.TokenWidth = parseResult.GetValue(tokenWidth) ?? section.TokenWidth;
        section.SelectionSamples = parseResult.GetValue(selectionSamples) ?? section.SelectionSamples;
        return section;
    }
}
