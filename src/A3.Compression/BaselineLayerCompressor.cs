using System.Diagnostics;
using A3.Runtime.Reporting;
using A3.Compression.Methods;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>Compresses one layer with a low-rank baseline: every linear layer becomes two matrices.</summary>
internal static class BaselineLayerCompressor
{
    /// <summary>The seven projections a baseline factorises, in the order <see cref="Compress"/> visits them.</summary>
    public static ProjectionTensorNames[] Projections(LayerTensorNames names) =>
        [names.Query, names.Key, names.Value, names.Output, names.Gate, names.Up, names.Down];

    /// <summary>Factorises the seven projections of layer <paramref name="index"/>, each at the rank that removes the method's budget of its parameters.</summary>
    public static LayerCompression Compress(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, LowRankBaselineMethod method, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var warnings = new List<string>();
        var names = TensorNames.Layer(index);
        var projections = Projections(names).Zip(new (torch.Tensor Weight, torch.Tensor? Bias, torch.Tensor Input)[]
        {
            (weights.Query, weights.QueryBias, statistics.AttentionInput),
            (weights.Key, weights.KeyBias, statistics.AttentionInput),
            (weights.Value, weights.ValueBias, statistics.AttentionInput),
            (weights.Output, null, statistics.AttentionOutput),
            (weights.Gate, null, statistics.MlpInput),
            (weights.Up, null, statistics.MlpInput),
            (weights.Down, null, statistics.Intermediate),
        }, (projection, held) => (Projection: projection, held.Weight, held.Bias, held.Input));
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var components = new List<ComponentReport>();
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (projection, weight, bias, input) in projections)
        {
            // Each factorisation is one SVD (and for svd-llm a Cholesky) of up to d×I: minutes at real widths on a CPU.
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            int rank = SvdBaseline.RankForRatio(weight.shape[0], weight.shape[1], method.Budget);
            using var factors = method.Factorize(weight, input, rank);
            if (factors.Shift > 0)
            {
                warnings.Add($"layer {index} {projection.Name}: the input autocorrelation was not positive definite; Cholesky used a diagonal shift of {factors.Shift:G3}");
            }

            tensors[projection.WeightA] = StoredTensor.From(factors.A);
            tensors[projection.WeightB] = StoredTensor.From(factors.B);
            if (bias is not null)
            {
                tensors[projection.Bias] = StoredTensor.From(bias);
            }

            // The short name keys the factorised ranks in config.json and names the report's component.
            ranks[projection.Name] = rank;
            components.Add(new ComponentReport(projection.Name, (int)Math.Min(weight.shape[0], weight.shape[1]), rank, factors.RelativeError));
            seconds[projection.Name] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var shape = config.Layers[index] with { FactorizedRanks = ranks };
        return new LayerCompression(shape, tensors, components, warnings, seconds);
    }
}
