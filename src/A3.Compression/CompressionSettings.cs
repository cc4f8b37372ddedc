using A3.Compression.Calibration;
using A3.Compression.Methods;
using A3.Compression.Pipelines;
using A3.Compression.Statistics;
using TorchSharp;

namespace A3.Compression;

/// <summary>How <see cref="ModelCompressor"/> runs a compression: the method, the calibration pipeline, where it computes, and the statistics cache.</summary>
public sealed record CompressionSettings
{
    /// <summary>
    /// The number of calibration windows per forward pass. The split changes the last bits of the statistics'
    /// float64 sums, so it is a fixed constant of the tool (docs/REPRODUCIBILITY.md), not a user setting.
    /// </summary>
    public const int DefaultBatchSize = 16;

    /// <summary>Gets the compression method.</summary>
    public required ICompressionMethod Method { get; init; }

    /// <summary>Gets how calibration activations flow from layer to layer.</summary>
    public CalibrationPipeline Pipeline { get; init; } = CalibrationPipeline.Sequential;

    /// <summary>Gets the device statistics and solvers run on.</summary>
    public torch.Device Device { get; init; } = torch.CPU;

    /// <summary>Gets the dtype the layers run in while statistics are collected (statistics accumulate in float64 regardless).</summary>
    public torch.ScalarType ComputeType { get; init; } = torch.ScalarType.Float32;

    /// <summary>Gets the number of calibration windows per forward pass.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// Gets the windows a measuring allocator compares candidate plans on; <see langword="null"/> uses the calibration
    /// windows. Windows disjoint from the calibration windows keep the choice from fitting the solvers' own data.
    /// </summary>
    public CalibrationSet? Selection { get; init; }

    /// <summary>
    /// Gets a folder, not existing yet, where each compressed layer is written as soon as it is finished, so the run
    /// holds one layer in memory; it is deleted with the <see cref="CompressedModel"/>, or when the run fails.
    /// <see langword="null"/> uses a new folder in the system's temporary folder, named for this process, and first
    /// removes the ones there left by processes that are gone (killed before they could). Put it on the output's file
    /// system: it holds the compressed layers in float32.
    /// </summary>
    public string? SpoolFolder { get; init; }

    /// <summary>Gets where layer statistics are reused from and stored; <see langword="null"/> collects every layer's.</summary>
    public LayerStatisticsCache? StatisticsCache { get; init; }
}
