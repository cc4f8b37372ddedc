namespace A3.Runtime.Model;

/// <summary>The RoPE inverse frequencies of the original (uncompressed) head, with Hugging Face's rope scaling applied.</summary>
internal static class RopeFrequencies
{
    /// <summary>
    /// Returns <c>inv_freq[k] = rope_theta^(−2k/OriginalHeadDim)</c> for <c>k = 0 … OriginalHeadDim/2 − 1</c>,
    /// adjusted by <c>llama3</c> scaling as Hugging Face <c>_compute_llama3_parameters</c> does.
    /// </summary>
    /// <remarks>
    /// Computed in float64; Hugging Face computes the same formula in float32, so values agree to float32 rounding.
    /// A compressed layer gathers these by its kept pair indices, which is why they are always defined on the original head.
    /// </remarks>
    /// <param name="config">The model configuration.</param>
    /// <exception cref="A3InputException">The rope scaling type is not supported.</exception>
    public static double[] ComputeInverseFrequencies(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pairCount = config.RopePairCount;
        var inverse = new double[pairCount];
        for (var k = 0; k < pairCount; k++)
        {
            inverse[k] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * k / config.OriginalHeadDim);
        }

        var scaling = config.RopeScaling;
        if (scaling is null || scaling.Type == "default")
        {
            return inverse;
        }

        if (scaling.Type != "llama3")
        {
            throw new A3InputException(
                A3ErrorCodes.UnsupportedModel,
                $"rope_scaling type '{scaling.Type}' is not supported; supported types are 'default' and 'llama3'.");
        }

        if (scaling.Factor <= 0 || scaling.HighFreqFactor <= scaling.LowFreqFactor || scaling.OriginalMaxPositionEmbeddings <= 0)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidModelConfig,
                $"llama3 rope_scaling needs factor > 0, high_freq_factor > low_freq_factor and original_max_position_embeddings > 0; got {scaling}.");
        }

        return ApplyLlama3(inverse, scaling);
    }

    private static double[] ApplyLlama3(double[] inverse, RopeScaling scaling)
    {
        double oldContext = scaling.OriginalMaxPositionEmbeddings;
        var lowFreqWavelength = oldContext / scaling.LowFreqFactor;
        var highFreqWavelength = oldContext / scaling.HighFreqFactor;
        var scaled = new double[inverse.Length];
        for (var k = 0; k < inverse.Length; k++)
        {
            var wavelength = 2 * Math.PI / inverse[k];
            var afterLowBand = wavelength > lowFreqWavelength ? inverse[k] / scaling.Factor : inverse[k];
            var isMedium = !(wavelength < highFreqWavelength) && !(wavelength > lowFreqWavelength);
            if (isMedium)
            {
                var smooth = ((oldContext / wavelength) - scaling.LowFreqFactor) / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                scaled[k] = ((1 - smooth) * afterLowBand / scaling.Factor) + (smooth * afterLowBand);
            }
            else
            {
                scaled[k] = afterLowBand;
            }
        }

        return scaled;
    }
}
