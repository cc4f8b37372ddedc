using A3.Compression.Calibration;
using A3.Compression.Statistics;
using A3.Runtime.IO;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// Runs single decoder layers of the model being compressed over the calibration hidden states, one
/// micro-batch at a time in the same batches as the statistics pass, on the compression device. Every forward
/// checks the run's cancellation between micro-batches, so the search's many forwards and the sequential
/// pipeline's stop within one micro-batch.
/// </summary>
internal sealed class LayerRunner(ModelCheckpoint source, CompressionSettings settings, CancellationToken cancellationToken)
{
    /// <summary>Returns the embedded calibration windows, the input of layer 0; owned by the caller.</summary>
    public torch.Tensor Embed(CalibrationSet calibration)
    {
        using var embedding = TokenEmbedding.Load(source.Config, source.Weights, settings.Device, settings.ComputeType);
        using var scope = torch.NewDisposeScope();
        return embedding.Forward(calibration.ToTensor(settings.Device)).MoveToOuterDisposeScope();
    }

    /// <summary>Collects the statistics of the original layer <paramref name="index"/> over <paramref name="hidden"/>, and its output.</summary>
    public (LayerStatistics Statistics, torch.Tensor Output) Collect(int index, torch.Tensor hidden)
    {
        using var layer = DecoderLayer.Load(source.Config, index, source.Weights, settings.Device, settings.ComputeType);
        return LayerStatisticsCollector.Collect(layer, hidden, settings.BatchSize, cancellationToken);
    }

    /// <summary>Runs the original layer <paramref name="index"/>.</summary>
    public torch.Tensor RunOriginal(int index, torch.Tensor hidden)
    {
        using var layer = DecoderLayer.Load(source.Config, index, source.Weights, settings.Device, settings.ComputeType);
        return Run(layer, hidden);
    }

    /// <summary>Runs layer <paramref name="index"/> in its compressed form.</summary>
    public torch.Tensor RunCompressed(int index, LayerCompression compressed, torch.Tensor hidden)
    {
        using var layer = LoadCompressed(index, compressed);
        return Run(layer, hidden);
    }

    /// <summary>Builds layer <paramref name="index"/> in its compressed form (the tensors are copied) with the original norms; the caller owns it.</summary>
    public DecoderLayer LoadCompressed(int index, LayerCompression compressed)
    {
        var config = source.Config;
        var names = TensorNames.Layer(index);
        var layerTensors = compressed.Tensors.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.clone().DetachFromDisposeScope())).ToList();
        foreach (var norm in new[] { names.InputNorm, names.PostAttentionNorm })
        {
            layerTensors.Add(KeyValuePair.Create(norm, source.Weights.Load(norm, torch.float32, torch.CPU).DetachFromDisposeScope()));
        }

        using var weights = new InMemoryWeightSource(layerTensors);
        var layers = config.Layers.ToArray();
        layers[index] = compressed.Shape;
        return DecoderLayer.Load(config with { Layers = layers }, index, weights, settings.Device, settings.ComputeType);
    }

    /// <summary>Runs <paramref name="layer"/> over <paramref name="hidden"/> in the statistics pass's micro-batches; the caller owns the result.</summary>
    public torch.Tensor Run(DecoderLayer layer, torch.Tensor hidden)
    {
        var output = torch.empty_like(hidden).DetachFromDisposeScope();
        long count = hidden.shape[0];
        for (long start = 0; start < count; start += settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(settings.BatchSize, count - start);
            output.narrow(0, start, length).copy_(layer.Forward(hidden.narrow(0, start, length), 0, null));
        }

        return output;
    }
}
