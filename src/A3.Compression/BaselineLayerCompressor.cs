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
    /// <summary>Factorises the seven projections of layer <paramref name="index"/>, each at the rank that removes the method's budget of its parameters.</summary>
    public static LayerCompression Compress(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, LowRankBaselineMethod method, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var warnings = new List<string>();
        var names = TensorNames.Layer(index);
        var projections = new (ProjectionTensorNames Projection, torch.Tensor Weight, torch.Tensor? Bias, torch.Tensor Input)[]
        {
            (names.Query, weights.Query, weights.QueryBias, statistics.AttentionInput),
            (names.Key, weights.Key, weights.KeyBias, statistics.AttentionInput),
            (names.Value, weights.Value, weights.ValueBias, statistics.AttentionInput),
            (names.Output, weights.Output, null, statistics.AttentionOutput),
            (names.Gate, weights.Gate, null, statistics.MlpInput),
            (names.Up, weights.Up, null, statistics.MlpInput),
            (names.Down, weights.Down, null, statistics.Intermediate),
        };
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
