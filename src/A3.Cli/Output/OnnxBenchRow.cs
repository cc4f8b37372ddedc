namespace A3.Cli.Output;

/// <summary>One model measured by <c>a3 bench-onnx</c> under ONNX Runtime's CPU provider.</summary>
/// <param name="Model">original, a3 (uniform allocation) or svd-llm.</param>
/// <param name="Shapes">The per-layer shapes, in short.</param>
/// <param name="DecoderLinearParameters">Decoder-linear parameters of the model.</param>
/// <param name="WeightBytes">Bytes of the exported folder (graph, weights, config, tokenizer).</param>
/// <param name="PeakResidentBytes">Peak resident memory of the measuring child process; null where the kernel does not say.</param>
/// <param name="LoadSeconds">Seconds to create the ONNX Runtime session.</param>
/// <param name="PrefillLengths">The prompt lengths of the prefills.</param>
/// <param name="PrefillTokensPerSecond">Prompt tokens per second at each prefill length.</param>
/// <param name="DecodeTokensPerSecond">Greedy tokens per second with the KV cache.</param>
internal sealed record OnnxBenchRow(
    string Model,
    string Shapes,
    long DecoderLinearParameters,
    long WeightBytes,
    long? PeakResidentBytes,
    double LoadSeconds,
    IReadOnlyList<int> PrefillLengths,
    IReadOnlyList<double> PrefillTokensPerSecond,
    double DecodeTokensPerSecond);
