using A3.Compression.Methods;
using A3.Compression.Statistics;
using TorchSharp;

namespace A3.Compression.Pipelines;

/// <summary>
/// How calibration activations flow from one decoder layer to the next while a model is compressed, as
/// llm-compressor's named pipelines do: <see cref="Sequential"/> calibrates each layer on the outputs of the
/// already-compressed layers below it (errors do not compound unseen), <see cref="Independent"/> calibrates
/// every layer on the original model's activations (one pass, and its statistics serve any plan).
/// </summary>
public abstract class CalibrationPipeline
{
    private protected CalibrationPipeline()
    {
    }

    /// <summary>Gets the pipeline that calibrates each layer on the compressed layers below it.</summary>
    public static CalibrationPipeline Sequential { get; } = new SequentialCalibrationPipeline();

    /// <summary>Gets the pipeline that calibrates every layer on the original model's activations.</summary>
    public static CalibrationPipeline Independent { get; } = new IndependentCalibrationPipeline();

    /// <summary>Gets the pipeline's name: <c>sequential</c> or <c>independent</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets a value indicating whether a layer's calibration input is the original layer's output, which collecting its statistics already computes.</summary>
    internal abstract bool CalibratesOnOriginalOutputs { get; }

    /// <summary>Runs layer <paramref name="index"/> over <paramref name="hidden"/> as the layers above see it.</summary>
    /// <param name="runner">Runs original and compressed layers.</param>
    /// <param name="index">The layer.</param>
    /// <param name="compressed">The layer's compressed form, when it has been compressed already.</param>
    /// <param name="hidden">The layer's input.</param>
    /// <returns>The next layer's input; owned by the caller.</returns>
    internal abstract torch.Tensor Forward(LayerRunner runner, int index, LayerCompression? compressed, torch.Tensor hidden);

    /// <summary>Returns the statistics chain link after layer <paramref name="index"/>, describing what the next layer's input went through.</summary>
    internal abstract StatisticsChain Next(StatisticsChain link, int index, ILayerCompressor compressor);

    /// <inheritdoc />
    public override string ToString() => Name;
}
