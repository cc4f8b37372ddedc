using A3.Compression.Solvers;
using A3.Recipes;
using A3.Runtime.Model;

namespace A3.Compression.Budget;

/// <summary>
/// The per-layer shapes a compression at a budget gives, computed from the configuration alone (no weights, no
/// calibration): what a shape-equivalent model (for example a synthetic checkpoint at real layer shapes) needs to cost
/// what the compressed model costs at inference.
/// </summary>
public static class CompressedShapes
{
    /// <summary>Returns <paramref name="config"/> with the shapes A3 keeps under a uniform allocation of <paramref name="budget"/> (<see cref="Methods.UniformBudgetPlanner"/>'s plan); RoPE pair lists are the first pairs, placeholders of the right count.</summary>
    /// <param name="config">The original model.</param>
    /// <param name="budget">The fraction of decoder-linear parameters to remove, in (0, 1).</param>
    /// <param name="roundTo">Kept head dims and intermediate sizes are multiples of this.</param>
    /// <returns>The compressed configuration.</returns>
    public static ModelConfig A3Uniform(ModelConfig config, double budget, int roundTo = CompressionSection.DefaultRoundTo)
    {
        ArgumentNullException.ThrowIfNull(config);
        return UniformPlanner.ForBudget(config, budget, roundTo).Apply(config);
    }

    /// <summary>Returns <paramref name="config"/> with every decoder projection factorised at the rank a low-rank baseline (SVD, SVD-LLM) keeps at <paramref name="budget"/> (<see cref="SvdBaseline.RankForRatio"/>).</summary>
    /// <param name="config">The original, uncompressed model.</param>
    /// <param name="budget">The fraction of each projection's parameters to remove, in (0, 1).</param>
    /// <returns>The factorised configuration.</returns>
    public static ModelConfig LowRank(ModelConfig config, double budget)
    {
        ArgumentNullException.ThrowIfNull(config);
        CompressionBudget.Validate(budget);
        var shapes = ModelTensorShapes.Expected(config);
        var layers = config.Layers.Select((layer, index) =>
        {
            var ranks = BaselineLayerCompressor.Projections(TensorNames.Layer(index))
                .ToDictionary(projection => projection.Name, projection => SvdBaseline.RankForRatio(shapes[projection.Weight][0], shapes[projection.Weight][1], budget), StringComparer.Ordinal);
            return layer with { FactorizedRanks = ranks };
        }).ToArray();
        return config with { Layers = layers };
    }
}
