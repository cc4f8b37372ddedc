using A3.Runtime.Model;

namespace A3.Runtime.Tests.Model;

public sealed class RopeFrequencyTests
{
    /// <summary>Meta's reference <c>apply_scaling</c> (llama-models), a branchy form independent of Hugging Face's masked one.</summary>
    public static double[] MetaLlama3Frequencies(double theta, int headDim, RopeScaling scaling)
    {
        var lowFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        var highFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        var result = new double[headDim / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var frequency = 1.0 / Math.Pow(theta, (2.0 * i) / headDim);
            var wavelength = 2 * Math.PI / frequency;
            if (wavelength < highFreqWavelength)
            {
                result[i] = frequency;
            }
            else if (wavelength > lowFreqWavelength)
            {
                result[i] = frequency / scaling.Factor;
            }
            else
            {
                var smooth = ((scaling.OriginalMaxPositionEmbeddings / wavelength) - scaling.LowFreqFactor) / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                result[i] = ((1 - smooth) * frequency / scaling.Factor) + (smooth * frequency);
            }
        }

        return result;
    }

    [Fact]
    public void Llama3_scaling_matches_the_reference_formula_for_llama_3_1_settings()
    {
        var scaling = new RopeScaling("llama3", 8, 1, 4, 8192);
        var config = TestConfigs.Full() with { OriginalHeadDim = 128, RopeTheta = 500000, RopeScaling = scaling };

        var actual = RopeFrequencies.ComputeInverseFrequencies(config);
        var expected = MetaLlama3Frequencies(500000, 128, scaling);

        Assert.Equal(64, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-15 * Math.Max(1, expected[i]));
        }

        // All three bands occur: untouched high frequencies, divided low ones, and smoothed ones in between.
        var plain = Enumerable.Range(0, 64).Select(k => Math.Pow(500000, -2.0 * k / 128)).ToArray();
        Assert.Contains(Enumerable.Range(0, 64), k => actual[k] == plain[k]);
        Assert.Contains(Enumerable.Range(0, 64), k => Math.Abs(actual[k] - (plain[k] / 8)) < 1e-18);
        Assert.Contains(Enumerable.Range(0, 64), k => actual[k] < plain[k] && actual[k] > plain[k] / 8 * (1 + 1e-9));
    }

    [Fact]
    public void Without_scaling_the_frequencies_are_theta_powers_of_the_original_head_dim()
    {
        var config = TestConfigs.Full();
        var actual = RopeFrequencies.ComputeInverseFrequencies(config);
        double[] expected = [1, 1 / Math.Sqrt(10), 0.1, 0.1 / Math.Sqrt(10)];
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], actual[k], 1e-15);
        }
    }

    [Fact]
    public void Unsupported_scaling_type_is_rejected()
    {
        var config = TestConfigs.Full(scaling: new RopeScaling("yarn", 4, 1, 4, 64));
        var error = Assert.Throws<A3InputException>(() => RopeFrequencies.ComputeInverseFrequencies(config));
        Assert.Equal(A3ErrorCodes.UnsupportedModel, error.Code);
        Assert.Contains("yarn", error.Message, StringComparison.Ordinal);
    }
}
