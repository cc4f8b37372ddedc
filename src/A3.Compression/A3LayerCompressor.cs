using A3.Compression.Budget;
using A3.Runtime.Reporting;
using A3.Compression.Solvers;
using A3.Compression.Statistics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>Compresses one layer with A3: RoPE pair selection, analytical OV, CUR MLP.</summary>
internal static class A3LayerCompressor
{
    /// <summary>Solves the three components of layer <paramref name="index"/> at the sizes of <paramref name="plan"/>.</summary>
    public static LayerCompression Compress(ModelConfig config, int index, LayerWeights weights, LayerStatistics statistics, LayerPlan plan, MlpSelector selector)
    {
        using var scope = torch.NewDisposeScope();
        var warnings = new List<string>();
        var selection = QkRopeSelector.Select(statistics.Query, statistics.Key, plan.KeptPairs);
        var queryKey = QkRopeSelector.Apply(weights.Query, weights.Key, weights.QueryBias, weights.KeyBias, selection);
        var valueOutput = OvAnalytical.Solve(
            weights.Value, weights.Output, weights.ValueBias, statistics.AttentionOutput, config.NumAttentionHeads, config.NumKeyValueHeads, plan.VHeadDim);
        if (valueOutput.Clamp.AnyClamped)
        {
            warnings.Add($"layer {index} ov: {valueOutput.Clamp.ClampedEigenvalues} eigenvalues of the attention-output statistics clamped at {valueOutput.Clamp.Threshold:G3} (largest {valueOutput.Clamp.LargestEigenvalue:G3})");
        }

        var mlp = MlpCur.Compress(weights.Gate, weights.Up, weights.Down, statistics.Intermediate, plan.IntermediateSize, selector);
        var names = TensorNames.Layer(index);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            [names.Query.Weight] = StoredTensor.From(queryKey.Query),
            [names.Key.Weight] = StoredTensor.From(queryKey.Key),
            [names.Value.Weight] = StoredTensor.From(valueOutput.Weights.Value),
            [names.Output.Weight] = StoredTensor.From(valueOutput.Weights.Output),
            [names.Gate.Weight] = StoredTensor.From(mlp.Gate),
            [names.Up.Weight] = StoredTensor.From(mlp.Up),
            [names.Down.Weight] = StoredTensor.From(mlp.Down),
        };
        if (config.AttentionBias)
        {
            tensors[names.Query.Bias] = StoredTensor.From(queryKey.QueryBias!);
            tensors[names.Key.Bias] = StoredTensor.From(queryKey.KeyBias!);
            tensors[names.Value.Bias] = StoredTensor.From(valueOutput.Weights.ValueBias!);
        }

        var shape = new LayerShape(
            2 * plan.KeptPairs,
            plan.VHeadDim,
            plan.IntermediateSize,
            selection.PairsPerKeyValueHead.Select(pairs => (IReadOnlyList<int>)pairs).ToArray());
        ComponentReport[] components =
        [
            new("qk", config.OriginalHeadDim, shape.QkHeadDim, selection.RelativeError),
            new("ov", config.OriginalHeadDim, shape.VHeadDim, valueOutput.RelativeError),
            new("mlp", config.IntermediateSize, shape.IntermediateSize, mlp.RelativeError),
        ];
        valueOutput.Dispose();
        mlp.Dispose();
        queryKey.Dispose();
        return new LayerCompression(shape, tensors, components, warnings);
    }
}
