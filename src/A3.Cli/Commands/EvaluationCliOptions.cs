using System.CommandLine;
using A3.Runtime;
using A3.Runtime.Evaluation;

namespace A3.Cli.Commands;

/// <summary>The evaluation options shared by <c>a3 eval</c> and <c>a3 compare</c>.</summary>
internal sealed class EvaluationCliOptions
{
    private readonly Option<string> data;
    private readonly Option<string> protocol = new Option<string>("--protocol")
    {
        Description = "documents: each document alone, [BOS] + text; windows: the whole text in non-overlapping windows.",
        Required = true,
    }.AcceptOnlyFromAmong("documents", "windows");

    private readonly Option<string> separator;
    private readonly Option<int> skipDocs = new("--skip-docs") { Description = "Documents to skip first." };
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
        separator = new Option<string>(ownSeparator ? "--separator" : "--eval-separator")
        {
            Description = "Document separator (documents protocol).",
            DefaultValueFactory = _ => EvaluationOptions.DefaultSeparator,
        };
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { data, protocol, separator, skipDocs, maxDocs, windowLength, maxWindows, batchSize })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the data file path and evaluation options.</summary>
    public (string Path, EvaluationOptions Options) Read(ParseResult parseResult)
    {
        var path = Path.GetFullPath(parseResult.GetValue(data)!);
        if (!File.Exists(path))
        {
            throw new A3InputException(A3ErrorCodes.FileNotFound, "no such data file", path);
        }

        return (path, new EvaluationOptions
        {
            Protocol = parseResult.GetValue(protocol) == "windows" ? EvaluationProtocol.Windows : EvaluationProtocol.Documents,
            Separator = parseResult.GetValue(separator)!,
            SkipDocuments = NonNegative(parseResult.GetValue(skipDocs), "--skip-docs"),
            MaxDocuments = Positive(parseResult.GetValue(maxDocs), "--max-docs"),
            SequenceLength = parseResult.GetValue(windowLength),
            MaxWindows = Positive(parseResult.GetValue(maxWindows), "--max-windows"),
            BatchSize = Positive(parseResult.GetValue(batchSize), "--batch-size")!.Value,
        });
    }

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new A3InputException(A3ErrorCodes.InvalidOption, $"{name} must be 0 or more, got {value}");

    private static int? Positive(int? value, string name) =>
        value is null or > 0 ? value : throw new A3InputException(A3ErrorCodes.InvalidOption, $"{name} must be 1 or more, got {value}");
}
