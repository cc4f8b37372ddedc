using A3.Runtime.IO;
using A3.Runtime.Model;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// The layer shapes of a real model family, as its public Hugging Face <c>config.json</c> states them, and the
/// tokenizer fixture that goes with it: what a synthetic checkpoint needs to cost what the real model costs.
/// </summary>
/// <remarks>
/// Weights do not change the cost of loading, running or compressing a model; shapes do. A preset with any
/// number of layers therefore stands in for the real checkpoint in measurements.
/// </remarks>
public sealed record SyntheticModelPreset
{
    /// <summary>Gets the preset's name, for example <c>llama-3-8b</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the Hugging Face architecture, for example <c>LlamaForCausalLM</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Gets the Hugging Face <c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets the residual stream width <c>d</c>.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Gets the number of query heads.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Gets the number of key/value heads.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Gets the head dimension.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Gets the MLP intermediate size.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Gets the model's vocabulary size (the rows of the embedding and LM head), which may exceed the tokenizer's ids.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Gets the RoPE base θ.</summary>
    public required double RopeTheta { get; init; }

    /// <summary>Gets the RMSNorm epsilon.</summary>
    public required double RmsNormEps { get; init; }

    /// <summary>Gets the context length.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Gets a value indicating whether q/k/v have biases.</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Gets a value indicating whether the LM head is the embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Gets the beginning-of-sequence token id, when the model has one.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>Gets the end-of-sequence token id.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>Gets the tokenizer source relative to the shared fixtures folder: a tokenizer folder or file the model folder writer copies.</summary>
    public required string TokenizerFixture { get; init; }

    /// <summary>Returns the configuration of this preset with <paramref name="numLayers"/> full-size decoder layers.</summary>
    /// <param name="numLayers">The number of decoder layers (1 or more).</param>
    /// <returns>The configuration; its storage dtype is set when the checkpoint is written.</returns>
    public ModelConfig ToConfig(int numLayers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        return new ModelConfig
        {
            Architecture = Architecture,
            ModelType = ModelType,
            HiddenSize = HiddenSize,
            IntermediateSize = IntermediateSize,
            NumLayers = numLayers,
            NumAttentionHeads = NumAttentionHeads,
            NumKeyValueHeads = NumKeyValueHeads,
            VocabSize = VocabSize,
            MaxPositionEmbeddings = MaxPositionEmbeddings,
            RmsNormEps = RmsNormEps,
            RopeTheta = RopeTheta,
            OriginalHeadDim = HeadDim,
            AttentionScale = 1.0 / Math.Sqrt(HeadDim),
            TieWordEmbeddings = TieWordEmbeddings,
            AttentionBias = AttentionBias,
            BosTokenId = BosTokenId,
            EosTokenId = EosTokenId,
            TorchDtype = TorchDtypeNames.Float32,
            Layers = ModelConfig.FullLayers(numLayers, NumKeyValueHeads, HeadDim, IntermediateSize),
        };
    }
}
