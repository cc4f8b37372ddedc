using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// Reads one decoder layer's weights from a checkpoint, checked against the configuration's
/// shapes, in the dtype the solvers want (typically float32 or float64). Only that layer's tensors
/// are materialised, so a memory-mapped checkpoint stays mapped.
/// </summary>
internal static class LayerWeightsReader
{
    /// <summary>Reads the linear weights (and attention biases, when the model has them) of layer <paramref name="index"/>.</summary>
    /// <param name="config">The configuration the checkpoint was written with.</param>
    /// <param name="index">The layer, <c>0 … NumLayers−1</c>.</param>
    /// <param name="weights">The checkpoint's weights; not disposed.</param>
    /// <param name="dtype">The dtype of the returned tensors.</param>
    /// <param name="device">The device of the returned tensors.</param>
    /// <returns>Weights the caller owns.</returns>
    /// <exception cref="A3InputException">A tensor is missing or has the wrong shape (the message names it).</exception>
    public static LayerWeights Read(ModelConfig config, int index, IWeightSource weights, torch.ScalarType dtype, torch.Device device)
    {
        var (loader, names) = Prepare(config, index, weights, dtype, device);
        var owned = new List<torch.Tensor>();
        torch.Tensor Read(string name)
        {
            var tensor = loader.Load(name);
            owned.Add(tensor);
            return tensor;
        }

        try
        {
            return new LayerWeights(
                Read(names.Query.Weight),
                Read(names.Key.Weight),
                Read(names.Value.Weight),
                Read(names.Output.Weight),
                config.AttentionBias ? Read(names.Query.Bias) : null,
                config.AttentionBias ? Read(names.Key.Bias) : null,
                config.AttentionBias ? Read(names.Value.Bias) : null,
                Read(names.Gate.Weight),
                Read(names.Up.Weight),
                Read(names.Down.Weight));
        }
        catch
        {
            owned.ForEach(tensor => tensor.Dispose());
            throw;
        }
    }

    /// <summary>Reads the input and post-attention RMSNorm weights of layer <paramref name="index"/>.</summary>
    /// <param name="config">The configuration the checkpoint was written with.</param>
    /// <param name="index">The layer, <c>0 … NumLayers−1</c>.</param>
    /// <param name="weights">The checkpoint's weights; not disposed.</param>
    /// <param name="dtype">The dtype of the returned tensors.</param>
    /// <param name="device">The device of the returned tensors.</param>
    /// <returns>Weights the caller owns.</returns>
    /// <exception cref="A3InputException">A tensor is missing or has the wrong shape (the message names it).</exception>
    public static LayerNormWeights ReadNorms(ModelConfig config, int index, IWeightSource weights, torch.ScalarType dtype, torch.Device device)
    {
        var (loader, names) = Prepare(config, index, weights, dtype, device);
        var input = loader.Load(names.InputNorm);
        try
        {
            return new LayerNormWeights(input, loader.Load(names.PostAttentionNorm));
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    private static (CheckedWeightLoader Loader, LayerTensorNames Names) Prepare(ModelConfig config, int index, IWeightSource weights, torch.ScalarType dtype, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, config.NumLayers);
        TorchNative.EnsureLoaded();
        return (new CheckedWeightLoader(weights, config, dtype, device), TensorNames.Layer(index));
    }
}
