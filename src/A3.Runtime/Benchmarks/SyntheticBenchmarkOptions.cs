using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>What one benchmark run of a preset measures with.</summary>
public sealed record SyntheticBenchmarkOptions
{
    /// <summary>Gets the decoder layers of the synthetic checkpoint.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Gets the windows of the forward-pass batch (a calibration-sized batch by default).</summary>
    public int Windows { get; init; } = 8;

    /// <summary>Gets the tokens per window.</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>Gets the seed of the weights and token ids.</summary>
    public long Seed { get; init; }

    /// <summary>Gets the storage dtype of the checkpoint; computation is always float32.</summary>
    public torch.ScalarType StorageDtype { get; init; } = torch.ScalarType.BFloat16;

    /// <summary>Gets the device the products, the model and the forward pass run on; <see langword="null"/> for the CPU.</summary>
    public torch.Device? Device { get; init; }
}
