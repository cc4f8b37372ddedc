using System.CommandLine;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary><c>a3 eval</c>: perplexity of a model on a text under the documents or windows protocol.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data") { Description = "The text file to score.", Required = true };
        var protocol = new Option<string>("--protocol")
        {
            Description = "documents: each document alone, [BOS] + text; windows: the whole text in non-overlapping windows.",
            Required = true,
        }.AcceptOnlyFromAmong("documents", "windows");
        var separator = new Option<string>("--separator") { Description = "Document separator (documents protocol).", DefaultValueFactory = _ => EvaluationOptions.DefaultSeparator };
        var skipDocs = new Option<int>("--skip-docs") { Description = "Documents to skip first." };
        var maxDocs = new Option<int?>("--max-docs") { Description = "Documents to score at most." };
        var seqLen = new Option<int?>("--seq-len") { Description = "Window length (windows protocol); default: the model context." };
        var maxWindows = new Option<int?>("--max-windows") { Description = "Windows to score at most." };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per forward pass (1 is fastest on CPU for small models, where attention dominates).", DefaultValueFactory = _ => 1 };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Measure perplexity on a text file.")
        {
            model, data, protocol, separator, skipDocs, maxDocs, seqLen, maxWindows, batchSize, device, dtype, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new EvaluationOptions
            {
                Protocol = parseResult.GetValue(protocol) == "windows" ? EvaluationProtocol.Windows : EvaluationProtocol.Documents,
                Separator = parseResult.GetValue(separator)!,
                SkipDocuments = NonNegative(parseResult.GetValue(skipDocs), "--skip-docs"),
                MaxDocuments = Positive(parseResult.GetValue(maxDocs), "--max-docs"),
                SequenceLength = parseResult.GetValue(seqLen),
                MaxWindows = Positive(parseResult.GetValue(maxWindows), "--max-windows"),
                BatchSize = Positive(parseResult.GetValue(batchSize), "--batch-size")!.Value,
            };
            var dataPath = Path.GetFullPath(parseResult.GetValue(data)!);
            if (!File.Exists(dataPath))
            {
                throw new A3InputException(A3ErrorCodes.FileNotFound, "no such data file", dataPath);
            }

            var (torchDevice, torchDtype) = ModelOptions.Resolve(parseResult.GetValue(device)!, parseResult.GetValue(dtype)!);
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);
            using var decoder = checkpoint.CreateModel(torchDevice, torchDtype);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sequences = EvaluationSequences.Build(File.ReadAllText(dataPath), checkpoint.Tokenizer, decoder.MaxSequenceLength, options, dataPath);
            var result = PerplexityEvaluator.Evaluate(decoder, sequences, options.BatchSize, new StderrProgressReporter(console.ErrorWriter), cancellationToken);
            result = result with { Seconds = clock.Elapsed.TotalSeconds };
            if (parseResult.GetValue(json))
            {
                console.Json(new
                {
                    perplexity = result.Perplexity,
                    mean_nll = result.MeanNll,
                    tokens = result.Tokens,
                    seconds = result.Seconds,
                    sequences = result.Sequences,
                    tokens_per_second = result.Tokens / result.Seconds,
                    device = torchDevice.ToString(),
                    dtype = parseResult.GetValue(dtype),
                });
            }
            else
            {
                console.Line($"perplexity {result.Perplexity:F4}  mean NLL {result.MeanNll:F5} nats  {result.Tokens} tokens in {result.Sequences} sequences  {result.Seconds:F2}s ({result.Tokens / result.Seconds:F0} tokens/s)");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new A3InputException(A3ErrorCodes.InvalidOption, $"{name} must be 0 or more, got {value}");

    private static int? Positive(int? value, string name) =>
        value is null or > 0 ? value : throw new A3InputException(A3ErrorCodes.InvalidOption, $"{name} must be 1 or more, got {value}");
}
