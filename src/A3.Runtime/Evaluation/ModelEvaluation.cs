using System.Diagnostics;
using A3.Runtime.Progress;
using A3.Runtime.Tokenization;

namespace A3.Runtime.Evaluation;

/// <summary>Perplexity of a model on a text file: read, tokenise under the protocol, score; timed end to end.</summary>
public static class ModelEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on the file at <paramref name="dataPath"/>.</summary>
    public static PerplexityResult Run(
        ICausalLanguageModel model,
        ITokenizer tokenizer,
        string dataPath,
        EvaluationOptions options,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var sequences = EvaluationSequences.Build(File.ReadAllText(dataPath), tokenizer, model.MaxSequenceLength, options, dataPath);
        var result = PerplexityEvaluator.Evaluate(model, sequences, options.BatchSize, progress, cancellationToken);
        return result with { Seconds = clock.Elapsed.TotalSeconds };
    }
}
