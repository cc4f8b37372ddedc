using System.Globalization;
using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Recipes;
using A3.Runtime.Model;

namespace A3.Compression.Methods;

/// <summary>
/// A3: RoPE pair selection for QK, analytical OV and CUR for the MLP. The operators stay the same, only
/// smaller; the sizes of every layer come from an <see cref="IA3Planner"/>.
/// </summary>
public sealed class A3Method : ICompressionMethod
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="planner">Decides each layer's kept sizes.</param>
    /// <param name="mlpSelector">How MLP neurons are chosen.</param>
    public A3Method(IA3Planner planner, MlpSelector mlpSelector)
    {
        ArgumentNullException.ThrowIfNull(planner);
        Planner = planner;
        MlpSelector = mlpSelector;
    }

    /// <summary>Gets the planner of the kept sizes.</summary>
    public IA3Planner Planner { get; }

    /// <summary>Gets how MLP neurons are chosen.</summary>
    public MlpSelector MlpSelector { get; }

    /// <inheritdoc />
    public string Name => RecipeNames.Of(RecipeMethod.A3);

    /// <inheritdoc />
    public string Target => Planner.Target;

    /// <inheritdoc />
    public ILayerCompressor Plan(CompressionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Planned(context.Config, Planner.Plan(context, MlpSelector, cancellationToken), MlpSelector);
    }

    private sealed class Planned(ModelConfig config, CompressionPlan plan, MlpSelector selector) : ILayerCompressor
    {
        public string Describe(int layer) =>
            string.Create(CultureInfo.InvariantCulture, $"a3 pairs {plan.Layers[layer].KeptPairs} v {plan.Layers[layer].VHeadDim} mlp {plan.Layers[layer].IntermediateSize} selector {selector}");

        public LayerCompression Compress(int layer, LayerWeights weights, LayerStatistics statistics, CancellationToken cancellationToken) =>
            A3LayerCompressor.Compress(config, layer, weights, statistics, plan.Layers[layer], selector, cancellationToken);
    }
}
