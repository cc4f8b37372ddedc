using A3.Runtime.Benchmarks;

namespace A3.Compression.Benchmarks;

/// <summary>One model's inference in the comparison: the original or a method's compression.</summary>
/// <param name="Model"><c>original</c>, or the method as <see cref="MethodCompressionResult.Method"/> names it.</param>
/// <param name="Parameters">All parameters, embeddings and LM head included.</param>
/// <param name="KvCacheBytesPerToken">Key/value cache bytes per token over all layers, in the runtime's float32.</param>
/// <param name="LoadSeconds">The fastest load of the model folder into the float32 decoder.</param>
/// <param name="Speed">Prefill and decode throughput, each the fastest of the rounds.</param>
public sealed record InferenceResult(string Model, long Parameters, long KvCacheBytesPerToken, double LoadSeconds, InferenceMeasurement Speed);
