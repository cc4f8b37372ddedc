namespace A3.OnnxRuntime.Benchmarks;

/// <summary>One prefill length's speed.</summary>
/// <param name="Length">Tokens in the prompt.</param>
/// <param name="TokensPerSecond">Prompt tokens per second.</param>
internal sealed record PrefillRate(int Length, double TokensPerSecond);

/// <summary>What <see cref="OnnxThroughput"/> measured.</summary>
/// <param name="LoadSeconds">Seconds to create the session.</param>
/// <param name="Prefill">Each prefill length's speed.</param>
/// <param name="DecodeTokensPerSecond">Greedy tokens per second with the KV cache.</param>
internal sealed record OnnxThroughputResult(double LoadSeconds, IReadOnlyList<PrefillRate> Prefill, double DecodeTokensPerSecond);
