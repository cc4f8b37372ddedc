using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Recipes;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Methods;

/// <summary>
/// A low-rank baseline: every decoder linear layer <c>W</c> becomes two, <c>W ≈ B·A</c>, at the rank that removes
/// the budget's fraction of that layer's parameters. Subclasses say how the factors are found.
/// </summary>
public abstract class LowRankBaselineMethod : ICompressionMethod
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="budget">The fraction of each linear layer's parameters to remove, in (0, 1).</param>
    /// <exception cref="InvalidSettingException">The budget is outside (0, 1).</exception>
    protected LowRankBaselineMethod(double budget)
    {
        CompressionBudget.Validate(budget);
        Budget = budget;
    }

    /// <summary>Gets the fraction of each linear layer's parameters to remove.</summary>
    public double Budget { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public string Target => string.Create(CultureInfo.InvariantCulture, $"budget {Budget} ({RecipeNames.Of(RecipeAllocation.Uniform)})");

    /// <inheritdoc />
    public ILayerCompressor Plan(CompressionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Planned(this, context.Config);
    }

    /// <summary>Factorises one linear layer.</summary>
    /// <param name="weight">The weight <c>[out, in]</c>, float64.</param>
    /// <param name="inputAutocorrelation">The layer input's <c>E[x xᵀ]</c>, <c>[in, in]</c>, float64.</param>
    /// <param name="rank">The rank to keep.</param>
    /// <returns>The factors; the caller owns them.</returns>
    protected internal abstract LowRankFactors Factorize(torch.Tensor weight, torch.Tensor inputAutocorrelation, int rank);

    private sealed class Planned(LowRankBaselineMethod method, ModelConfig config) : ILayerCompressor
    {
        public string Describe(int layer) => string.Create(CultureInfo.InvariantCulture, $"{method.Name} budget {method.Budget:R}");

        public LayerCompression Compress(int layer, LayerWeights weights, LayerStatistics statistics, CancellationToken cancellationToken) =>
            BaselineLayerCompressor.Compress(config, layer, weights, statistics, method, cancellationToken);
    }
}
