using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Compression.Budget;

/// <summary>The kept sizes of every layer of an A3 compression, and what they cost.</summary>
public sealed record CompressionPlan(IReadOnlyList<LayerPlan> Layers)
{
    /// <summary>Returns the plan that keeps <paramref name="config"/> whole.</summary>
    public static CompressionPlan Full(ModelConfig config) =>
        new(Enumerable.Repeat(new LayerPlan(config.OriginalHeadDim / 2, config.OriginalHeadDim, config.IntermediateSize), config.NumLayers).ToArray());

    /// <summary>
    /// Returns <paramref name="config"/> with this plan's per-layer shapes. The RoPE pair lists
    /// are placeholders (the first pairs) until the QK solver chooses them; shapes and counts are exact.
    /// </summary>
    public ModelConfig Apply(ModelConfig config)
    {
        var layers = Layers.Select(plan =>
        {
            var pairs = Enumerable.Range(0, plan.KeptPairs).ToArray();
            var perHead = Enumerable.Range(0, config.NumKeyValueHeads).Select(_ => (IReadOnlyList<int>)pairs).ToArray();
            return new LayerShape(2 * plan.KeptPairs, plan.VHeadDim, plan.IntermediateSize, perHead);
        }).ToArray();
        return config with { Layers = layers };
    }

    /// <summary>Returns the fraction of <paramref name="config"/>'s decoder-linear parameters this plan removes.</summary>
    public double RemovedFraction(ModelConfig config)
    {
        long original = ModelFootprint.Compute(config, 4, 1).DecoderLinearParameters;
        long kept = ModelFootprint.Compute(Apply(config), 4, 1).DecoderLinearParameters;
        return (original - kept) / (double)original;
    }

    /// <summary>Returns the decoder-linear parameters of one layer of <paramref name="config"/> at the sizes of <paramref name="plan"/>.</summary>
    internal static long LayerParameters(ModelConfig config, LayerPlan plan)
    {
        var single = new CompressionPlan([plan]).Apply(config with { NumLayers = 1, Layers = [config.Layers[0]] });
        return ModelFootprint.Compute(single, 4, 1).DecoderLinearParameters;
    }
}
