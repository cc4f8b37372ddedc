namespace A3.OnnxRuntime.Tests;

/// <summary>The per-token NLL of the ONNX evaluator, against log-softmax written out.</summary>
public sealed class NegativeLogLikelihoodTests
{
    [Fact]
    public void Is_minus_the_log_softmax_of_the_target()
    {
        float[] logits = [1f, 2f, 0.5f, -3f];
        double expected = -Math.Log(Math.Exp(2) / logits.Sum(l => Math.Exp(l)));

        Assert.Equal(expected, OnnxPerplexityEvaluator.NegativeLogLikelihood(logits, 1), 12);
    }

    [Fact]
    public void Large_logits_do_not_overflow()
    {
        float[] logits = [1000f, 1000f];

        Assert.Equal(Math.Log(2), OnnxPerplexityEvaluator.NegativeLogLikelihood(logits, 0), 12);
    }

    [Fact]
    public void A_target_outside_the_vocabulary_is_A3020()
    {
        var error = Assert.Throws<A3InputException>(() => OnnxPerplexityEvaluator.NegativeLogLikelihood([0f, 1f], 2));

        Assert.Equal(A3ErrorCodes.InvalidData, error.Code);
    }
}
