using A3.Compression.Statistics;
using A3.Runtime.Model;

namespace A3.Compression.Methods;

/// <summary>A method planned for one model: compresses its decoder layers one at a time.</summary>
public interface ILayerCompressor
{
    /// <summary>
    /// Describes everything the compressed form of <paramref name="layer"/> depends on besides its statistics
    /// and the model's weights (sizes, selectors, the method). With sequential calibration the layers above are
    /// calibrated on this layer's output, so the description enters their statistics cache keys: it must change
    /// whenever the compressed layer would.
    /// </summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>A stable, culture-invariant description.</returns>
    string Describe(int layer);

    /// <summary>Compresses one layer.</summary>
    /// <param name="layer">The layer index.</param>
    /// <param name="weights">The layer's weights in float64 on the compression device; owned by the caller.</param>
    /// <param name="statistics">The layer's calibration statistics; owned by the caller.</param>
    /// <param name="cancellationToken">Checked between the solver's native steps, so a layer at real widths stops within about a second.</param>
    /// <returns>The compressed layer; the caller takes ownership of its tensors.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    LayerCompression Compress(int layer, LayerWeights weights, LayerStatistics statistics, CancellationToken cancellationToken);
}
