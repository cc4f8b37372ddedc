namespace A3.Compression.Methods;

/// <summary>
/// A way to compress a model's decoder layers: A3 (<see cref="A3Method"/>), a low-rank baseline
/// (<see cref="SvdMethod"/>, <see cref="SvdLlmMethod"/>), or any method a caller plugs in. The engine
/// (<see cref="ModelCompressor"/>) calls <see cref="Plan"/> once, then compresses the layers bottom-up
/// through the returned <see cref="ILayerCompressor"/>; it never asks which method it runs.
/// </summary>
public interface ICompressionMethod
{
    /// <summary>Gets the method's name as recipes spell it (<c>a3</c>, <c>svd</c>, <c>svd-llm</c>); written into the report.</summary>
    string Name { get; }

    /// <summary>Gets how the method chooses its sizes, for the report, e.g. <c>budget 0.2 (uniform)</c>.</summary>
    string Target { get; }

    /// <summary>Decides how each layer of one model will be compressed.</summary>
    /// <param name="context">The model, the device, and the statistics of the original model, for methods that plan on them.</param>
    /// <param name="cancellationToken">Stops the planning.</param>
    /// <returns>The compressor of this model's layers.</returns>
    ILayerCompressor Plan(CompressionContext context, CancellationToken cancellationToken);
}
