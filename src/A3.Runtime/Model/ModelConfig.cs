using System.Text.Json.Nodes;
using A3.Runtime.IO;

namespace A3.Runtime.Model;

/// <summary>
/// The configuration of a Llama-family decoder (Llama, Mistral, Qwen2), including the per-layer
/// shapes a compressed model may change. An uncompressed model has every layer at full size.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Gets the Hugging Face architecture name, for example <c>LlamaForCausalLM</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Gets the Hugging Face <c>model_type</c> (<c>llama</c>, <c>mistral</c>, <c>qwen2</c>).</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets the residual stream width <c>d</c>.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Gets the MLP intermediate size of the original (uncompressed) model.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Gets the number of decoder layers.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Gets the number of query heads <c>H</c>.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Gets the number of key/value heads <c>H_kv</c> (GQA when smaller than <see cref="NumAttentionHeads"/>).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Gets the vocabulary size.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Gets the context length the model was trained for.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Gets the RMSNorm epsilon.</summary>
    public required double RmsNormEps { get; init; }

    /// <summary>Gets the RoPE base θ.</summary>
    public required double RopeTheta { get; init; }

    /// <summary>Gets the RoPE frequency scaling, when the model uses one.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Gets the head dimension of the original (uncompressed) model; RoPE frequencies are defined on it.</summary>
    public required int OriginalHeadDim { get; init; }

    /// <summary>Gets the softmax scale of attention scores; <c>1/sqrt(OriginalHeadDim)</c> unless stated otherwise, never derived from a compressed head dim.</summary>
    public required double AttentionScale { get; init; }

    /// <summary>Gets a value indicating whether the LM head shares the token embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Gets a value indicating whether q/k/v projections have biases (Qwen2).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Gets the MLP activation (<c>silu</c> for all supported models).</summary>
    public string HiddenAct { get; init; } = "silu";

    /// <summary>Gets the beginning-of-sequence token id, when defined.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>Gets the end-of-sequence token id, when defined.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>Gets the storage dtype named by the checkpoint (<c>float32</c>, <c>float16</c>, <c>bfloat16</c>).</summary>
    public string TorchDtype { get; init; } = TorchDtypeNames.Float32;

    /// <summary>Gets the per-layer shapes; element <c>i</c> describes decoder layer <c>i</c>.</summary>
    public required IReadOnlyList<LayerShape> Layers { get; init; }

    /// <summary>Gets the original <c>config.json</c> document, kept so that writing a model preserves fields we do not model.</summary>
    public JsonObject? SourceJson { get; init; }

    /// <summary>Gets the number of query heads sharing one key/value head.</summary>
    public int GroupSize => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Gets the number of RoPE frequency pairs of the original head (<c>OriginalHeadDim / 2</c>).</summary>
    public int RopePairCount => OriginalHeadDim / 2;

    /// <summary>Gets a value indicating whether any layer differs from the original full shape.</summary>
    public bool IsCompressed => Layers.Any(layer => !layer.IsFull(this));

    /// <summary>Creates the full (uncompressed) shape of every layer.</summary>
    public static IReadOnlyList<LayerShape> FullLayers(int numLayers, int numKeyValueHeads, int headDim, int intermediateSize)
    {
        var allPairs = Enumerable.Range(0, headDim / 2).ToArray();
        var pairs = Enumerable.Range(0, numKeyValueHeads).Select(_ => (IReadOnlyList<int>)allPairs).ToArray();
        return Enumerable.Range(0, numLayers).Select(_ => new LayerShape(headDim, headDim, intermediateSize, pairs)).ToArray();
    }
}
