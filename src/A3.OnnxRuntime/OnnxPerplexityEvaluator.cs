using System.Diagnostics;
using A3.Evaluation;

namespace A3.OnnxRuntime;

/// <summary>
/// Scores token sequences with a <see cref="DecoderSession"/> and pools their negative log-likelihood, as A3.Runtime's
/// perplexity evaluator does: every token after the first of each sequence, accumulated in float64.
/// </summary>
internal static class OnnxPerplexityEvaluator
{
    /// <summary>
    /// Scores each sequence in one forward pass from an empty cache. Sequences run one at a time (batch 1), so no
    /// padding is needed and the result does not depend on <see cref="EvaluationOptions.BatchSize"/>.
    /// </summary>
    public static PerplexityResult Evaluate(DecoderSession session, IReadOnlyList<ScoringSequence> sequences, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        double totalNll = 0;
        long tokens = 0;
        foreach (var sequence in sequences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var cache = OnnxKvCache.Empty(session.Contract.Layers);
            using var outputs = session.Run(sequence.Ids, cache);
            var logits = outputs[0];
            for (int t = 0; t + 1 < sequence.Ids.Length; t++)
            {
                totalNll += NegativeLogLikelihood(LogitRows.Row(logits, t), sequence.Ids[t + 1]);
                tokens++;
            }
        }

        if (tokens == 0)
        {
            throw new A3InputException(A3ErrorCodes.InvalidData, "no token was scored: every sequence is shorter than two tokens");
        }

        double mean = totalNll / tokens;
        return new PerplexityResult(Math.Exp(mean), mean, tokens, sequences.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Returns <c>-log softmax(logits)[target]</c>, computed in float64 from the largest logit for stability.</summary>
    /// <param name="logits">The row of logits over the vocabulary.</param>
    /// <param name="target">The id that came next.</param>
    /// <returns>The NLL in nats.</returns>
    internal static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int target)
    {
        if ((uint)target >= (uint)logits.Length)
        {
            throw new A3InputException(A3ErrorCodes.InvalidData, $"token id {target} is outside the model's {logits.Length} logits");
        }

        double max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        double sum = 0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return max + Math.Log(sum) - logits[target];
    }
}
