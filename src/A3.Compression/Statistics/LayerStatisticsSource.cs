using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// Where a layer's statistics come from: the cache when it holds the key, else a pass of the original layer
/// over its calibration input (then stored under the key, so an interrupted run resumes there).
/// </summary>
internal sealed class LayerStatisticsSource(LayerRunner runner, LayerStatisticsCache? cache, torch.Device device)
{
    /// <summary>
    /// Returns layer <paramref name="index"/>'s statistics and whether they came from the cache. With
    /// <paramref name="keepOutput"/>, the original layer's output becomes the next layer's input.
    /// </summary>
    public (LayerStatistics Statistics, bool Reused) Get(int index, string? key, LayerInputs inputs, bool keepOutput)
    {
        if (key is not null && cache?.TryLoad(key, device) is { } cached)
        {
            return (cached, true);
        }

        var (statistics, output) = runner.Collect(index, inputs.At(index));
        if (keepOutput)
        {
            inputs.Advance(index, output);
        }
        else
        {
            output.Dispose();
        }

        if (key is not null)
        {
            cache?.Store(key, statistics);
        }

        return (statistics, false);
    }
}
