using TorchSharp;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Model;

public sealed class KvCacheTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Prefix_then_one_token_at_a_time_equals_the_full_sequence_forward(bool compressed)
    {
        var config = compressed ? TestConfigs.Compressed(bias: true) : TestConfigs.Full();
        var weights = RandomWeights.Create(config, seed: 31);
        const int Length = 12;
        const int Prefix = 5;
        var ids = ModelRunner.Tokens(seed: 9, batch: 2, Length, TestConfigs.Vocab);

        using var model = ModelRunner.Load(config, weights);
        var full = ModelRunner.Logits(model, ids);
        using var cache = model.CreateCache(batchSize: 2, maxLength: Length);

        var incremental = ModelRunner.Logits(model, ids.Select(row => row[..Prefix]).ToArray(), cache);
        Assert.Equal(Prefix, cache.Length);
        var worst = Compare(full, incremental, 0);
        for (var t = Prefix; t < Length; t++)
        {
            var step = ModelRunner.Logits(model, ids.Select(row => row[t..(t + 1)]).ToArray(), cache);
            Assert.Equal(t + 1, cache.Length);
            worst = Math.Max(worst, Compare(full, step, t));
        }

        output.WriteLine($"incremental vs full ({(compressed ? "compressed" : "full")}): max |Δlogit| / max |logit| = {worst:E3}");
        Assert.True(worst < 1e-5, $"relative error {worst:E3}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Next_token_logits_are_the_last_positions_of_the_full_logits_with_and_without_a_cache(bool compressed)
    {
        var config = compressed ? TestConfigs.Compressed(bias: true) : TestConfigs.Full();
        using var model = ModelRunner.Load(config, RandomWeights.Create(config, seed: 34));
        var ids = ModelRunner.Tokens(seed: 12, batch: 2, length: 7, TestConfigs.Vocab);
        var full = ModelRunner.Logits(model, ids);
        using var input = torch.tensor(ids.SelectMany(row => row).Select(id => (long)id).ToArray(), [2, 7]);

        using var last = model.NextTokenLogits(input);
        Assert.Equal([2L, TestConfigs.Vocab], last.shape);
        var expected = full.SelectMany(row => row[^1].Select(value => (double)value));
        Assert.True(ModelRunner.RelativeError(expected, last.data<float>().Select(value => (double)value)) < 1e-6);

        // After a prompt in the cache, one more token's logits equal the full forward's at that position.
        using var cache = model.CreateCache(batchSize: 2, maxLength: 7);
        using var prompt = input.narrow(1, 0, 6);
        using var _ = model.NextTokenLogits(prompt, cache);
        using var next = input.narrow(1, 6, 1);
        using var step = model.NextTokenLogits(next, cache);
        Assert.Equal(7, cache.Length);
        Assert.True(ModelRunner.RelativeError(expected, step.data<float>().Select(value => (double)value)) < 1e-5);
        using var empty = input.narrow(1, 0, 0);
        Assert.Throws<ArgumentException>(() => model.NextTokenLogits(empty, cache));
        Assert.Equal(7, cache.Length);
    }

    [Fact]
    public void Reset_starts_a_new_sequence_at_position_zero()
    {
        var config = TestConfigs.Compressed();
        var weights = RandomWeights.Create(config, seed: 32);
        var ids = ModelRunner.Tokens(seed: 10, batch: 1, length: 6, TestConfigs.Vocab);

        using var model = ModelRunner.Load(config, weights);
        using var cache = model.CreateCache(1, 8);
        ModelRunner.Logits(model, ModelRunner.Tokens(seed: 11, batch: 1, length: 8, TestConfigs.Vocab), cache);
        cache.Reset();

        var again = ModelRunner.Logits(model, ids, cache);
        Assert.True(Compare(ModelRunner.Logits(model, ids), again, 0) < 1e-6);
    }

    [Fact]
    public void Exceeding_the_maximum_length_or_changing_the_batch_size_is_rejected()
    {
        var config = TestConfigs.Full();
        using var model = ModelRunner.Load(config, RandomWeights.Create(config, seed: 33));
        using var cache = model.CreateCache(batchSize: 1, maxLength: 4);

        ModelRunner.Logits(model, ModelRunner.Tokens(1, 1, 3, TestConfigs.Vocab), cache);
        Assert.Throws<ArgumentException>(() => ModelRunner.Logits(model, ModelRunner.Tokens(2, 1, 2, TestConfigs.Vocab), cache));
        Assert.Throws<ArgumentException>(() => ModelRunner.Logits(model, ModelRunner.Tokens(3, 2, 1, TestConfigs.Vocab), cache));
        Assert.Equal(3, cache.Length);
        ModelRunner.Logits(model, ModelRunner.Tokens(4, 1, 1, TestConfigs.Vocab), cache);
        Assert.Equal(4, cache.Length);
    }

    /// <summary>Compares a chunk of logits (positions <paramref name="start"/>…) with the full-sequence logits, relative to the full logits' scale.</summary>
    private static double Compare(float[][][] full, float[][][] chunk, int start)
    {
        var reference = full.SelectMany(b => b.Skip(start).Take(chunk[0].Length).SelectMany(t => t.Select(v => (double)v)));
        return ModelRunner.RelativeError(reference, ModelRunner.Flatten(chunk));
    }
}
