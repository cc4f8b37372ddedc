using System.Diagnostics;
using A3.Evaluation;
using A3.Runtime.Progress;
using TorchSharp;

namespace A3.Runtime.Evaluation;

/// <summary>Scores token sequences with a causal language model and pools their negative log-likelihood.</summary>
public static class PerplexityEvaluator
{
    /// <summary>
    /// Scores every token after the first of each sequence. Sequences are batched with right
    /// padding (causal attention makes padding after a token invisible to it) and padded
    /// positions are excluded. Per-token NLL is accumulated in float64 in a fixed order, so the
    /// result does not depend on the batch size beyond float32 rounding of the logits.
    /// </summary>
    public static PerplexityResult Evaluate(
        ICausalLanguageModel model,
        IReadOnlyList<ScoringSequence> sequences,
        int batchSize = 1,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var clock = Stopwatch.StartNew();
        double totalNll = 0;
        long tokens = 0;

        // Longest first keeps padding low; the order is deterministic.
        var order = Enumerable.Range(0, sequences.Count).OrderByDescending(i => sequences[i].Ids.Length).ThenBy(i => i).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.Skip(start).Take(batchSize).Select(i => sequences[i].Ids).ToArray();
            var (nll, count) = ScoreBatch(model, batch);
            totalNll += nll;
            tokens += count;
            progress?.Report(new ProgressUpdate("eval", Math.Min(start + batchSize, order.Length), order.Length, clock.Elapsed));
        }

        if (tokens == 0)
        {
            throw new A3InputException(A3ErrorCodes.InvalidData, "no token was scored: every sequence is shorter than two tokens");
        }

        double mean = totalNll / tokens;
        return new PerplexityResult(Math.Exp(mean), mean, tokens, sequences.Count, clock.Elapsed.TotalSeconds);
    }

    private static (double Nll, long Tokens) ScoreBatch(ICausalLanguageModel model, int[][] batch)
    {
        using var scope = torch.NewDisposeScope();
        int length = batch.Max(ids => ids.Length);
        var inputs = new long[batch.Length * length];
        var targets = new long[batch.Length * (length - 1)];
        var mask = new bool[batch.Length * (length - 1)];
        for (int b = 0; b < batch.Length; b++)
        {
            var ids = batch[b];
            for (int t = 0; t < ids.Length; t++)
            {
                inputs[(b * length) + t] = ids[t];
            }

            for (int t = 0; t + 1 < ids.Length; t++)
            {
                targets[(b * (length - 1)) + t] = ids[t + 1];
                mask[(b * (length - 1)) + t] = true;
            }
        }

        var inputIds = torch.tensor(inputs, [batch.Length, length], torch.int64, model.Device);
        var logits = model.ComputeLogits(inputIds)[.., ..(length - 1), ..];
        var logProbabilities = torch.nn.functional.log_softmax(logits.to(torch.float32), dim: -1);
        var targetIds = torch.tensor(targets, [batch.Length, length - 1, 1], torch.int64, model.Device);
        var tokenNll = -logProbabilities.gather(-1, targetIds).squeeze(-1);
        var selected = tokenNll.masked_select(torch.tensor(mask, [batch.Length, length - 1], device: model.Device))
            .to(torch.float64).cpu();
        double sum = 0;
        foreach (var value in selected.data<double>())
        {
            sum += value;
        }

        return (sum, selected.shape[0]);
    }
}
