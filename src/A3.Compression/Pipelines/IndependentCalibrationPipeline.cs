using A3.Compression.Methods;
using A3.Compression.Statistics;
using TorchSharp;

namespace A3.Compression.Pipelines;

/// <summary>Calibrates every layer on the original model's activations, whatever was done to the layers below.</summary>
internal sealed class IndependentCalibrationPipeline : CalibrationPipeline
{
    /// <inheritdoc />
    public override string Name => "independent";

    /// <inheritdoc />
    internal override bool CalibratesOnOriginalOutputs => true;

    /// <inheritdoc />
    internal override torch.Tensor Forward(LayerRunner runner, int index, LayerCompression? compressed, torch.Tensor hidden) =>
        runner.RunOriginal(index, hidden);

    /// <inheritdoc />
    internal override StatisticsChain Next(StatisticsChain link, int index, ILayerCompressor compressor) =>
        link.AfterOriginal(index);
}
