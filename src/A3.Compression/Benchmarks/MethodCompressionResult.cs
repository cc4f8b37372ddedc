using A3.Runtime.Reporting;

namespace A3.Compression.Benchmarks;

/// <summary>One method's compression of the benchmark checkpoint.</summary>
/// <param name="Method">The method as <c>a3 compare</c> names it (<c>a3-uniform</c>, <c>svd-llm</c>, …).</param>
/// <param name="DecoderRemovedFraction">The fraction of decoder linear parameters removed.</param>
/// <param name="RunFacts">The run's phases per layer, planning and the folder write.</param>
/// <param name="OutputBytes">The size of the written model folder.</param>
/// <param name="PeakRssBytes">The process's peak resident memory during this compression (an upper bound after earlier work; see <c>PeakMemory.ResetPeak</c>), or <see langword="null"/> where not reported.</param>
public sealed record MethodCompressionResult(string Method, double DecoderRemovedFraction, CompressionRunFacts RunFacts, long OutputBytes, long? PeakRssBytes);
