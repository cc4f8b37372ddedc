using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// Runs one decoder layer over the calibration hidden states and collects its
/// <see cref="LayerStatistics"/> from the real forward, together with the layer's output for the
/// next layer. The caller decides what the next layer sees: this output (original layer) or that of
/// the compressed layer (sequential mode, see A3-METHOD "Calibration and order").
/// </summary>
internal static class LayerStatisticsCollector
{
    /// <summary>Collects the statistics of <paramref name="layer"/> over <paramref name="hidden"/>.</summary>
    /// <param name="layer">The layer to run; not disposed.</param>
    /// <param name="hidden">
    /// The hidden states entering the layer, <c>[N, L, d]</c> on the layer's device; each of the N
    /// windows starts at position 0, as the calibration windows do. Not disposed.
    /// </param>
    /// <param name="batchSize">
    /// Windows per forward. Only one micro-batch's activations are alive at a time; the float64
    /// sums are the same (up to summation order) whatever its value.
    /// </param>
    /// <param name="cancellationToken">Checked between micro-batches, so a long layer stops promptly.</param>
    /// <returns>
    /// The statistics in float64 on <paramref name="hidden"/>'s device, and the layer's output
    /// <c>[N, L, d]</c> in <paramref name="hidden"/>'s dtype; the caller owns both.
    /// </returns>
    public static (LayerStatistics Statistics, torch.Tensor Output) Collect(DecoderLayer layer, torch.Tensor hidden, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (hidden.dim() != 3 || hidden.shape[0] == 0 || hidden.shape[1] == 0)
        {
            throw new ArgumentException($"hidden must be a non-empty [N, L, d] tensor; got shape [{string.Join(", ", hidden.shape)}].", nameof(hidden));
        }

        var windows = hidden.shape[0];
        using var accumulator = new StatisticsAccumulator();
        var output = torch.empty_like(hidden).DetachFromDisposeScope();
        try
        {
            for (long first = 0; first < windows; first += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(batchSize, windows - first);
                var result = layer.Forward(hidden.narrow(0, first, count), 0, null, accumulator);
                output.narrow(0, first, count).copy_(result);
            }

            return (accumulator.ToStatistics(), output);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }
}
