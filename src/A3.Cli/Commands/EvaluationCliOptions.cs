using System.CommandLine;
using A3.Compression.Recipes;
using A3.Evaluation;
using A3.IO;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.IO;

namespace A3.Cli.Commands;

/// <summary>
/// The evaluation options shared by <c>a3 eval</c> and <c>a3 compare</c>: the command-line face of a recipe's
/// <c>evaluation</c> section, whose defaults and spellings they take, plus the batch size.
/// </summary>
internal sealed class EvaluationCliOptions
{
    private static readonly EvaluationSection Defaults = new();

    private readonly Option<string> data;
    private readonly Option<string> protocol = new Option<string>("--protocol")
    {
        Description = "documents: each document alone, [BOS] + text; windows: the whole text in non-overlapping windows.",
        Required = true,
    }.AcceptOnlyFromAmong([.. RecipeNames.All<RecipeEvaluationProtocol>()]);

    private readonly Option<string?> separator;
    private readonly Option<int?> skipDocs = new("--skip-docs") { Description = "Documents to skip first." };
    private readonly Option<int?> maxDocs = new("--max-docs") { Description = "Documents to score at most." };
    private readonly Option<int?> windowLength;
    private readonly Option<int?> maxWindows = new("--max-windows") { Description = "Windows to score at most." };
    private readonly Option<int> batchSize = new("--batch-size")
    {
        Description = "Sequences per forward pass (1 is fastest on CPU for small models, where attention dominates).",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Initializes the options; <paramref name="dataName"/> and <paramref name="windowName"/> let a verb that also calibrates avoid clashes.</summary>
    public EvaluationCliOptions(string dataName, string windowName, bool ownSeparator)
    {
        data = new Option<string>(dataName) { Description = "The text file to score.", Required = true };
        windowLength = new Option<int?>(windowName) { Description = "Window length (windows protocol); default: the model context." };
        separator = new Option<string?>(ownSeparator ? "--separator" : "--eval-separator") { Description = $"Document separator (documents protocol); default {Defaults.Separator}." };
    }

    private IEnumerable<Option> All => [data, protocol, separator, skipDocs, maxDocs, windowLength, maxWindows, batchSize];

    /// <summary>Adds the options to <paramref name="command"/> and records which recipe key each sets.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        SettingFlags.Bind(command, RecipeKeys.EvaluationData, data);
        SettingFlags.Bind(command, RecipeKeys.EvaluationProtocol, protocol);
        SettingFlags.Bind(command, RecipeKeys.EvaluationSeparator, separator);
        SettingFlags.Bind(command, RecipeKeys.EvaluationSkipDocs, skipDocs);
        SettingFlags.Bind(command, RecipeKeys.EvaluationMaxDocs, maxDocs);
        SettingFlags.Bind(command, RecipeKeys.EvaluationSeqLen, windowLength);
        SettingFlags.Bind(command, RecipeKeys.EvaluationMaxWindows, maxWindows);
    }

    /// <summary>Reads the data file path and evaluation options; unset options keep the recipe format's defaults.</summary>
    public (string Path, EvaluationOptions Options) Read(ParseResult parseResult)
    {
        var path = Path.GetFullPath(parseResult.GetValue(data)!);
        InputFiles.Require(path, "no such data file");

        var section = new EvaluationSection
        {
            Data = path,
            Protocol = RecipeNames.Parse<RecipeEvaluationProtocol>(parseResult.GetValue(protocol)!)!.Value,
        };
        section.Separator = parseResult.GetValue(separator) ?? section.Separator;
        section.SkipDocs = parseResult.GetValue(skipDocs) ?? section.SkipDocs;
        section.MaxDocs = parseResult.GetValue(maxDocs) ?? section.MaxDocs;
        section.SeqLen = parseResult.GetValue(windowLength) ?? section.SeqLen;
        section.MaxWindows = parseResult.GetValue(maxWindows) ?? section.MaxWindows;
        var batch = parseResult.GetValue(batchSize);
        if (batch < 1)
        {
            throw new A3InputException(CliErrorCodes.InvalidOption, $"--batch-size must be 1 or more, got {batch}");
        }

        return (path, RecipeBinding.Evaluation(section) with { BatchSize = batch });
    }
}
