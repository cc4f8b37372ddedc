namespace A3.Runtime.Benchmarks;

/// <summary>One row of the benchmark table: one preset at one layer count.</summary>
/// <param name="Preset">The preset's name.</param>
/// <param name="Layers">The decoder layers of the checkpoint.</param>
/// <param name="Windows">The windows of the forward-pass batch.</param>
/// <param name="SequenceLength">Tokens per window.</param>
/// <param name="Device">The device, as TorchSharp names it.</param>
/// <param name="CheckpointBytes">The size of the written checkpoint's files.</param>
/// <param name="WriteSeconds">The time to generate and write the checkpoint.</param>
/// <param name="GemmGflops">Float32 matrix-product throughput at the layer's shapes, GFLOP/s: the roofline.</param>
/// <param name="LoadSeconds">The time to open the checkpoint and build the float32 decoder.</param>
/// <param name="PrefillSeconds">The time of one forward pass over the batch, logits included.</param>
/// <param name="PrefillTokensPerSecond">Tokens of the batch per second of <paramref name="PrefillSeconds"/>.</param>
/// <param name="PrefillGflops">The causal prefill's FLOPs (as <c>ModelFootprint</c> counts them, LM head included) per second, in GFLOP/s.</param>
/// <param name="RooflineFraction"><paramref name="PrefillGflops"/> over <paramref name="GemmGflops"/>.</param>
/// <param name="PeakRssBytes">The process's peak resident memory during this measurement (reset at its start where the kernel allows, else since the process began), or <see langword="null"/> where not reported.</param>
/// <param name="LoadAverage">The machine's one-minute load average right after the prefill, or <see langword="null"/> where not reported: above the processor count, other work slowed the timings down.</param>
public sealed record SyntheticBenchmarkResult(
    string Preset,
    int Layers,
    int Windows,
    int SequenceLength,
    string Device,
    long CheckpointBytes,
    double WriteSeconds,
    double GemmGflops,
    double LoadSeconds,
    double PrefillSeconds,
    double PrefillTokensPerSecond,
    double PrefillGflops,
    double RooflineFraction,
    long? PeakRssBytes,
    double? LoadAverage)
{
    /// <summary>Gets the seconds of layer 0's forward pass alone over the batch: the unit a compression's per-layer phases compare with.</summary>
    public double LayerForwardSeconds { get; init; }

    /// <summary>Gets that layer's FLOPs (linear layers and causal attention) per second, in GFLOP/s.</summary>
    public double LayerForwardGflops { get; init; }

    /// <summary>Gets <see cref="LayerForwardGflops"/> over <see cref="GemmGflops"/>: the forward pass's share of the roofline without the LM head.</summary>
    public double LayerRooflineFraction { get; init; }

    /// <summary>Gets the float64 matrix-product throughput at the same shapes, GFLOP/s: the roofline of the statistics' sums and the solvers.</summary>
    public double GemmGflopsFloat64 { get; init; }
}
