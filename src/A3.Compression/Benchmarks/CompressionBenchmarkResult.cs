namespace A3.Compression.Benchmarks;

/// <summary>A compression benchmark of one checkpoint: each method's compression, then the models' inference side by side.</summary>
/// <param name="Compressions">One per method, in the order run.</param>
/// <param name="Inference">The original first, then each compression; empty when the comparison was skipped.</param>
public sealed record CompressionBenchmarkResult(IReadOnlyList<MethodCompressionResult> Compressions, IReadOnlyList<InferenceResult> Inference);
