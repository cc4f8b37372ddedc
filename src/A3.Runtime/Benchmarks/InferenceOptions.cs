namespace A3.Runtime.Benchmarks;

/// <summary>What an inference measurement runs: single-sequence prefills at some context lengths and a decode after a prompt.</summary>
public sealed record InferenceOptions
{
    /// <summary>Gets the prompt lengths whose prefill (filling the key/value cache, logits of the last position) is timed.</summary>
    public IReadOnlyList<int> PrefillLengths { get; init; } = [512, 2048];

    /// <summary>Gets the prompt length before the timed decode.</summary>
    public int PromptLength { get; init; } = 512;

    /// <summary>Gets the tokens generated one at a time, greedily, with the key/value cache.</summary>
    public int DecodeTokens { get; init; } = 32;

    /// <summary>Gets the seed of the prompt token ids.</summary>
    public long Seed { get; init; }
}
