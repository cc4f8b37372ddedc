using A3.Evaluation;
using TorchSharp;

namespace A3.Runtime.Evaluation;

/// <summary>
/// How far a model's next-token distribution is from a reference model's on the same sequences: the mean, over every
/// scored position (all but each sequence's last token, as <see cref="PerplexityEvaluator"/> scores them), of
/// <c>KL(reference ‖ candidate)</c> in nats. It needs no in-domain text: any text both models read will do.
/// </summary>
internal static class DivergenceEvaluator
{
    /// <summary>Measures <paramref name="candidate"/> against <paramref name="reference"/>, one sequence at a time in a fixed order, accumulating in float64.</summary>
    /// <param name="reference">The model whose distribution is the reference (the original model).</param>
    /// <param name="candidate">The model measured (a compressed model); same vocabulary.</param>
    /// <param name="sequences">The sequences both models read.</param>
    /// <param name="cancellationToken">Checked between sequences.</param>
    /// <returns>The mean KL divergence per scored position, in nats.</returns>
    /// <exception cref="A3InputException">No position was scored.</exception>
    public static double Evaluate(ICausalLanguageModel reference, ICausalLanguageModel candidate, IReadOnlyList<ScoringSequence> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(sequences);
        double total = 0;
        long positions = 0;
        foreach (var sequence in sequences.Where(sequence => sequence.Ids.Length >= 2))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var length = sequence.Ids.Length - 1;
            var original = LogProbabilities(reference, sequence.Ids, length);
            var compressed = LogProbabilities(candidate, sequence.Ids, length);
            total += KlDivergence.Sum(original, compressed);
            positions += length;
        }

        return positions > 0
            ? total / positions
            : throw new A3InputException(A3ErrorCodes.InvalidData, "no position was scored: every sequence is shorter than two tokens");
    }

    private static torch.Tensor LogProbabilities(ICausalLanguageModel model, int[] ids, int length)
    {
        var inputIds = torch.tensor(ids.Select(id => (long)id).ToArray(), [1, ids.Length], torch.int64, model.Device);
        var logits = model.ComputeLogits(inputIds).narrow(1, 0, length);
        return torch.nn.functional.log_softmax(logits.to(torch.float64), -1).cpu();
    }
}
