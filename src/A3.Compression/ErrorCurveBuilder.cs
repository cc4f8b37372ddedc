using A3.Compression.Budget;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>Turns one layer's statistics into the error curves the greedy allocator spends its budget on.</summary>
internal static class ErrorCurveBuilder
{
    /// <summary>Returns the QK, OV and MLP curves of one layer, indexed by <see cref="A3Component"/>.</summary>
    /// <param name="config">The model's configuration.</param>
    /// <param name="weights">The layer's weights.</param>
    /// <param name="statistics">The layer's statistics.</param>
    /// <param name="selector">How MLP neurons are ranked.</param>
    /// <param name="cancellationToken">Stops the MLP ranking, the long part at real widths.</param>
    public static IReadOnlyDictionary<A3Component, IErrorCurve> Build(ModelConfig config, LayerWeights weights, LayerStatistics statistics, MlpSelector selector, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        int pairs = config.OriginalHeadDim / 2;
        var selection = QkRopeSelector.Select(statistics.Query, statistics.Key, pairs);
        var qk = Enumerable.Range(0, pairs + 1).Select(selection.RelativeErrorFor).ToArray();

        // The full-rank solve carries the whole spectrum; its estimate ranks candidate sizes.
        using var full = OvAnalytical.Solve(
            weights.Value, weights.Output, weights.ValueBias, statistics.AttentionOutput, config.NumAttentionHeads, config.NumKeyValueHeads, config.OriginalHeadDim);
        var ov = Enumerable.Range(0, config.OriginalHeadDim + 1).Select(rank => rank == 0 ? 1.0 : full.EstimatedRelativeErrorFor(rank)).ToArray();

        var ranking = MlpCur.Rank(statistics.Intermediate, weights.Down, config.IntermediateSize, selector, cancellationToken);
        return new Dictionary<A3Component, IErrorCurve>
        {
            [A3Component.Qk] = new TabulatedErrorCurve(qk),
            [A3Component.Ov] = new TabulatedErrorCurve(ov),
            [A3Component.Mlp] = new TabulatedErrorCurve(ranking.PrefixErrors.ToArray()),
        };
    }
}
