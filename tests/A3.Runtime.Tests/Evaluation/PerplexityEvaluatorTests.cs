using A3.Evaluation;
using A3.Runtime.Evaluation;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.Evaluation;

public sealed class PerplexityEvaluatorTests
{
    private sealed class UniformModel(int vocab) : ICausalLanguageModel
    {
        public int MaxSequenceLength => 64;

        public torch.Device Device => torch.CPU;

        public torch.Tensor ComputeLogits(torch.Tensor inputIds) => torch.zeros(inputIds.shape[0], inputIds.shape[1], vocab);
    }

    public PerplexityEvaluatorTests() => TorchNative.EnsureLoaded();

    private static List<ScoringSequence> RandomSequences(int count, int vocab, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new ScoringSequence(Enumerable.Range(0, random.Next(2, 40)).Select(_ => random.Next(vocab)).ToArray()))
            .ToList();
    }

    [Fact]
    public void Uniform_logits_give_perplexity_equal_to_the_vocabulary_size()
    {
        var sequences = RandomSequences(11, 37, seed: 1);

        var result = PerplexityEvaluator.Evaluate(new UniformModel(37), sequences, batchSize: 4);

        // log_softmax runs in float32: log(37) carries a relative rounding error near 1e-7.
        Assert.Equal(37.0, result.Perplexity, 37.0 * 1e-6);
        Assert.Equal(sequences.Sum(s => s.Ids.Length - 1), result.Tokens);
        Assert.Equal(11, result.Sequences);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void Bigram_model_nll_matches_a_float64_log_sum_exp_for_any_batch_size(int batchSize)
    {
        var model = BigramModel.Random(vocab: 23, seed: 7);
        var sequences = RandomSequences(13, 23, seed: 8);
        double expectedSum = 0;
        long expectedTokens = 0;
        foreach (var ids in sequences.Select(s => s.Ids))
        {
            for (int t = 0; t + 1 < ids.Length; t++)
            {
                expectedSum += model.Nll(ids[t], ids[t + 1]);
                expectedTokens++;
            }
        }

        var result = PerplexityEvaluator.Evaluate(model, sequences, batchSize);

        Assert.Equal(expectedTokens, result.Tokens);
        Assert.Equal(expectedSum / expectedTokens, result.MeanNll, 1e-6);
        Assert.Equal(Math.Exp(expectedSum / expectedTokens), result.Perplexity, 1e-5);
        Assert.Equal((13 + batchSize - 1) / batchSize, model.Calls);
    }

    [Fact]
    public void No_scorable_token_is_an_input_error()
    {
        Assert.Throws<A3InputException>(() => PerplexityEvaluator.Evaluate(new UniformModel(5), [], batchSize: 2));
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            PerplexityEvaluator.Evaluate(new UniformModel(5), RandomSequences(3, 5, 1), 1, cancellationToken: cancelled.Token));
    }
}
