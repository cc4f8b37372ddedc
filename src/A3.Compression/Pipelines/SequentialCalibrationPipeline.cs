using A3.Compression.Methods;
using A3.Compression.Statistics;
using TorchSharp;

namespace A3.Compression.Pipelines;

/// <summary>Calibrates layer ℓ on the outputs of the already-compressed layers 0 … ℓ−1 (the default).</summary>
internal sealed class SequentialCalibrationPipeline : CalibrationPipeline
{
    /// <inheritdoc />
    public override string Name => "sequential";

    /// <inheritdoc />
    internal override bool CalibratesOnOriginalOutputs => false;

    /// <inheritdoc />
    internal override torch.Tensor Forward(LayerRunner runner, int index, LayerCompression? compressed, torch.Tensor hidden) =>
        runner.RunCompressed(index, compressed ?? throw new InvalidOperationException($"layer {index} must be compressed before the layers above it are calibrated"), hidden);

    /// <inheritdoc />
    internal override StatisticsChain Next(StatisticsChain link, int index, ILayerCompressor compressor) =>
        link.AfterCompressed(index, compressor.Describe(index));
}
