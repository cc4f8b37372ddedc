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
}
