namespace A3.OnnxRuntime.Benchmarks;

/// <summary>What <see cref="OnnxThroughput"/> measures.</summary>
internal sealed record OnnxThroughputOptions
{
    /// <summary>Gets the prompt lengths of the prefills.</summary>
    public IReadOnlyList<int> PrefillLengths { get; init; } = [16, 64, 256];

    /// <summary>Gets the prompt length before decoding.</summary>
    public int PromptLength { get; init; } = 16;

    /// <summary>Gets the tokens decoded one at a time.</summary>
    public int DecodeTokens { get; init; } = 32;

    /// <summary>Gets the counted runs of each figure (after one warm-up); the fastest counts.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Gets ONNX Runtime's intra-op threads.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Gets the seed of the token ids.</summary>
    public long Seed { get; init; }
}
