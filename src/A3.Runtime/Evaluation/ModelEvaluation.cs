using System.Diagnostics;
using A3.Evaluation;
using A3.Runtime.IO;
using A3.Runtime.Progress;
using A3.Tokenizers;

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
        var sequences = EvaluationSequences.Read(dataPath, tokenizer, model.MaxSequenceLength, options);
        var result = PerplexityEvaluator.Evaluate(model, sequences, options.BatchSize, progress, cancellationToken);
        return result with { Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// Measures how far <paramref name="candidate"/>'s next-token distribution is from <paramref name="reference"/>'s on the
    /// file at <paramref name="dataPath"/>, cut into sequences as <paramref name="options"/>' protocol says: the mean
    /// <c>KL(reference ‖ candidate)</c> per scored position, in nats. Unlike perplexity it needs no in-domain text.
    /// </summary>
    /// <param name="reference">The reference model (the original).</param>
    /// <param name="candidate">The model measured; same tokenizer and vocabulary.</param>
    /// <param name="tokenizer">The models' tokenizer.</param>
    /// <param name="dataPath">The text file.</param>
    /// <param name="options">The protocol and selection of sequences.</param>
    /// <param name="cancellationToken">Checked between sequences.</param>
    /// <returns>The mean KL divergence per scored position, in nats.</returns>
    public static double Divergence(
        ICausalLanguageModel reference,
        ICausalLanguageModel candidate,
        ITokenizer tokenizer,
        string dataPath,
        EvaluationOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);
        var sequences = EvaluationSequences.Read(dataPath, tokenizer, Math.Min(reference.MaxSequenceLength, candidate.MaxSequenceLength), options);
        return DivergenceEvaluator.Evaluate(reference, candidate, sequences, cancellationToken);
    }
}
