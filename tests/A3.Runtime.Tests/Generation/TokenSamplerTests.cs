using A3.Generation;
using A3.Runtime.Generation;

namespace A3.Runtime.Tests.Generation;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Temperature_zero_is_argmax()
    {
        var sampler = new TokenSampler(0, seed: 1);

        Assert.Equal(2, sampler.Sample([0.1f, -3f, 5f, 4.9f]));
    }

    [Fact]
    public void Draws_follow_the_tempered_softmax()
    {
        float[] logits = [1f, 2f, 0f, -1f];
        const double temperature = 0.7;
        var expected = logits.Select(l => Math.Exp(l / temperature)).ToArray();
        double sum = expected.Sum();
        var sampler = new TokenSampler(temperature, seed: 42);
        var counts = new int[4];
        const int draws = 40000;
        for (int i = 0; i < draws; i++)
        {
            counts[sampler.Sample(logits)]++;
        }

        for (int i = 0; i < 4; i++)
        {
            // Binomial standard deviation at 40000 draws is below 0.0025; allow four of them.
            Assert.Equal(expected[i] / sum, counts[i] / (double)draws, 0.01);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_draws()
    {
        float[] logits = [0.3f, 0.2f, 0.1f, 0.4f, 0.0f];
        var first = new TokenSampler(1.0, 9);
        var second = new TokenSampler(1.0, 9);

        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => first.Sample(logits)),
            Enumerable.Range(0, 50).Select(_ => second.Sample(logits)));
    }

    [Fact]
    public void Negative_temperature_is_rejected()
    {
        Assert.Equal("temperature", Assert.Throws<InvalidSettingException>(() => new TokenSampler(-0.5, 1)).Setting);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Top_p_outside_zero_to_one_is_rejected(double topP)
    {
        Assert.Equal("top_p", Assert.Throws<InvalidSettingException>(() => new TokenSampler(1.0, 1, topP)).Setting);
    }

    [Fact]
    public void Top_p_of_one_keeps_the_draws_of_the_whole_vocabulary()
    {
        float[] logits = [0.3f, 0.2f, 0.1f, 0.4f, 0.0f];
        var whole = new TokenSampler(1.0, 9);
        var nucleus = new TokenSampler(1.0, 9, topP: 1);

        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => whole.Sample(logits)),
            Enumerable.Range(0, 50).Select(_ => nucleus.Sample(logits)));
    }

    [Fact]
    public void A_small_top_p_keeps_only_the_most_probable_token()
    {
        var sampler = new TokenSampler(2.0, seed: 3, topP: 0.01);

        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal(2, sampler.Sample([0.1f, -3f, 5f, 4.9f])));
    }

    [Fact]
    public void Top_p_draws_only_from_the_nucleus_in_proportion()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05: top-p 0.7 keeps the first two (0.8 >= 0.7), renormalised to 5/8 and 3/8.
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];
        var sampler = new TokenSampler(1.0, seed: 11, topP: 0.7);
        var counts = new int[4];
        const int draws = 40000;
        for (int i = 0; i < draws; i++)
        {
            counts[sampler.Sample(logits)]++;
        }

        Assert.Equal(0, counts[2] + counts[3]);
        Assert.Equal(5.0 / 8, counts[0] / (double)draws, 0.01);
    }

    [Fact]
    public void Empty_logits_are_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => new TokenSampler(0, 1).Sample([]));
    }
}
