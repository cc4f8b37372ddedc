using A3.Runtime.Reporting;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>Compresses one layer with a low-rank baseline: every linear layer becomes two matrices.</summary>
internal static class BaselineLayerCompressor
{
    /// <summary>Factorises the seven projections of layer <paramref name="index"/>, each at the rank that removes <paramref name="budget"/> of its parameters.</summary>
    public static LayerCompression Compress(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, double budget, CompressionMethod method)
    {
        using var scope = torch.NewDisposeScope();
        var warnings = new List<string>();
        var projections = new (string Name, torch.Tensor Weight, torch.Tensor? Bias, torch.Tensor Input)[]
        {
            ("q_proj", weights.Query, weights.QueryBias, statistics.AttentionInput),
            ("k_proj", weights.Key, weights.KeyBias, statistics.AttentionInput),
            ("v_proj", weights.Value, weights.ValueBias, statistics.AttentionInput),
            ("o_proj", weights.Output, null, statistics.AttentionOutput),
            ("gate_proj", weights.Gate, null, statistics.MlpInput),
            ("up_proj", weights.Up, null, statistics.MlpInput),
            ("down_proj", weights.Down, null, statistics.Intermediate),
        };
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var components = new List<ComponentReport>();
        foreach (var (name, weight, bias, input) in projections)
        {
            int rank = SvdBaseline.RankForRatio(weight.shape[0], weight.shape[1], budget);
            using var factors = method == CompressionMethod.SvdLlm
                ? SvdLlmBaseline.Factorize(weight, input, rank)
                : SvdBaseline.Factorize(weight, rank);
            if (factors.Shift > 0)
            {
                warnings.Add($"layer {index} {name}: the input autocorrelation was not positive definite; Cholesky used a diagonal shift of {factors.Shift:G3}");
            }

            var stem = LinearProjections.TensorStem(index, name);
            tensors[stem + ".weight_a"] = StoredTensor.From(factors.A);
            tensors[stem + ".weight_b"] = StoredTensor.From(factors.B);
            if (bias is not null)
            {
                tensors[stem + ".bias"] = StoredTensor.From(bias);
            }

            ranks[name] = rank;
            components.Add(new ComponentReport(name, (int)Math.Min(weight.shape[0], weight.shape[1]), rank, factors.RelativeError));
        }

        var shape = config.Layers[index] with { FactorizedRanks = ranks };
        return new LayerCompression(shape, tensors, components, warnings);
    }
}
