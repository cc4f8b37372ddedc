namespace A3.Runtime.Benchmarks;

/// <summary>
/// The named presets: the shapes of the public Hugging Face configs of Llama-3-8B, Llama-2-7B and Qwen2.5-7B, and
/// stories260K (the real fixture model's shape, small enough for tests and quick checks).
/// </summary>
public static class SyntheticModelPresets
{
    /// <summary>Gets <c>meta-llama/Meta-Llama-3-8B</c>: GQA 32/8, MLP 14336, vocabulary 128256.</summary>
    public static SyntheticModelPreset Llama3_8B { get; } = new()
    {
        Name = "llama-3-8b",
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = 4096,
        NumAttentionHeads = 32,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        IntermediateSize = 14336,
        VocabSize = 128256,
        RopeTheta = 500000,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 8192,
        BosTokenId = 128000,
        EosTokenId = 128001,
        TokenizerFixture = "tokenizers/llama3",
    };

    /// <summary>Gets <c>meta-llama/Llama-2-7b-hf</c>: MHA 32/32, MLP 11008, vocabulary 32000.</summary>
    public static SyntheticModelPreset Llama2_7B { get; } = new()
    {
        Name = "llama-2-7b",
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = 4096,
        NumAttentionHeads = 32,
        NumKeyValueHeads = 32,
        HeadDim = 128,
        IntermediateSize = 11008,
        VocabSize = 32000,
        RopeTheta = 10000,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 4096,
        BosTokenId = 1,
        EosTokenId = 2,
        TokenizerFixture = "tokenizers/llama2-sp/tokenizer.model",
    };

    /// <summary>
    /// Gets <c>Qwen/Qwen2.5-7B</c>: GQA 28/4, MLP 18944, q/k/v biases, untied, vocabulary 152064 (padded past the
    /// tokenizer's 151,669 ids, as in the real repository; the rows beyond are never looked up).
    /// </summary>
    public static SyntheticModelPreset Qwen25_7B { get; } = new()
    {
        Name = "qwen2.5-7b",
        Architecture = "Qwen2ForCausalLM",
        ModelType = "qwen2",
        HiddenSize = 3584,
        NumAttentionHeads = 28,
        NumKeyValueHeads = 4,
        HeadDim = 128,
        IntermediateSize = 18944,
        VocabSize = 152064,
        RopeTheta = 1000000,
        RmsNormEps = 1e-6,
        MaxPositionEmbeddings = 32768,
        AttentionBias = true,
        BosTokenId = 151643,
        EosTokenId = 151643,
        TokenizerFixture = "tokenizers/qwen3",
    };

    /// <summary>Gets the shape of the stories260K fixture (<c>hf/stories260K-llama</c>): d 64, GQA 8/4, MLP 172, tied, vocabulary 512.</summary>
    public static SyntheticModelPreset Stories260K { get; } = new()
    {
        Name = "stories260k",
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = 64,
        NumAttentionHeads = 8,
        NumKeyValueHeads = 4,
        HeadDim = 8,
        IntermediateSize = 172,
        VocabSize = 512,
        RopeTheta = 10000,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 512,
        TieWordEmbeddings = true,
        BosTokenId = 1,
        EosTokenId = 2,
        TokenizerFixture = "hf/stories260K-llama/tokenizer.model",
    };

    /// <summary>Gets every preset, the real-size ones first.</summary>
    public static IReadOnlyList<SyntheticModelPreset> All { get; } = [Llama3_8B, Llama2_7B, Qwen25_7B, Stories260K];

    /// <summary>Gets the presets measured when none are named: the real-size ones.</summary>
    public static IReadOnlyList<SyntheticModelPreset> Default { get; } = [Llama3_8B, Llama2_7B, Qwen25_7B];

    /// <summary>Returns the preset named <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="name">A preset name.</param>
    /// <returns>The preset, or <see langword="null"/> when none has that name.</returns>
    public static SyntheticModelPreset? Find(string name) =>
        All.FirstOrDefault(preset => string.Equals(preset.Name, name, StringComparison.OrdinalIgnoreCase));
}
