using A3.Runtime.IO;
using A3.Runtime.Model;

namespace A3.Runtime.Inspection;

/// <summary>
/// Parameter counts, KV-cache size and FLOPs of a (possibly compressed) model, computed from
/// its configuration alone.
/// </summary>
/// <remarks>
/// FLOPs per token count 2 per multiply-add of the linear layers, the LM head, and the
/// attention scores (<c>2·H·qk·context</c>) and weighted values (<c>2·H·v·context</c>) for a
/// token that attends to <c>context</c> positions; norms, RoPE, softmax and activations are
/// left out (they are linear in <c>d</c> and negligible next to the matrix products). A factorised
/// projection of rank <c>r</c> counts <c>r·(in+out)</c> parameters and <c>2·r·(in+out)</c> FLOPs.
/// </remarks>
/// <param name="TotalParameters">All parameters, embeddings and norms included.</param>
/// <param name="EmbeddingParameters">Token embedding plus an untied LM head.</param>
/// <param name="DecoderLinearParameters">q/k/v/o/gate/up/down weights and biases of every layer (the paper's compression base).</param>
/// <param name="NormParameters">RMSNorm weights.</param>
/// <param name="KvCacheBytesPerToken">Bytes of K and V cached per token over all layers.</param>
/// <param name="BytesPerElement">The element size used for the KV cache.</param>
/// <param name="Context">The context length the FLOPs are given at.</param>
/// <param name="FlopsPerToken">FLOPs for one token at <paramref name="Context"/>.</param>
/// <param name="Layers">Per-layer figures.</param>
public sealed record ModelFootprint(
    long TotalParameters,
    long EmbeddingParameters,
    long DecoderLinearParameters,
    long NormParameters,
    long KvCacheBytesPerToken,
    int BytesPerElement,
    int Context,
    long FlopsPerToken,
    IReadOnlyList<LayerFootprint> Layers)
{
    /// <summary>Computes the footprint of <paramref name="config"/>.</summary>
    /// <param name="config">The model configuration.</param>
    /// <param name="bytesPerElement">Bytes of one cached K/V element (4 for float32, 2 for float16/bfloat16).</param>
    /// <param name="context">The context length at which FLOPs are counted (≥ 1).</param>
    public static ModelFootprint Compute(ModelConfig config, int bytesPerElement, int context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        long d = config.HiddenSize;
        long heads = config.NumAttentionHeads;
        long kvHeads = config.NumKeyValueHeads;
        long bias = config.AttentionBias ? 1 : 0;
        var layers = new List<LayerFootprint>(config.NumLayers);
        for (int i = 0; i < config.NumLayers; i++)
        {
            var shape = config.Layers[i];
            long qk = shape.QkHeadDim;
            long v = shape.VHeadDim;
            var names = TensorNames.Layer(i);
            long Linear(ProjectionTensorNames projection)
            {
                var (rows, columns) = LinearProjections.Dimensions(config, shape, projection.Name);
                return shape.RankOf(projection.Name) is { } rank ? rank * (rows + columns) : rows * columns;
            }

            long attention = Linear(names.Query) + Linear(names.Key) + Linear(names.Value) + Linear(names.Output) + (bias * ((heads * qk) + (kvHeads * qk) + (kvHeads * v)));
            long mlp = Linear(names.Gate) + Linear(names.Up) + Linear(names.Down);
            long kvBytes = kvHeads * (qk + v) * bytesPerElement;
            long flops = (2 * (attention + mlp)) + (2 * heads * qk * context) + (2 * heads * v * context);
            layers.Add(new LayerFootprint(i, shape.QkHeadDim, shape.VHeadDim, shape.IntermediateSize, attention, mlp, kvBytes, flops));
        }

        long embedding = (long)config.VocabSize * d * (config.TieWordEmbeddings ? 1 : 2);
        long norms = (2L * config.NumLayers * d) + d;
        long decoderLinear = layers.Sum(layer => layer.AttentionParameters + layer.MlpParameters);
        long headFlops = 2L * d * config.VocabSize;
        return new ModelFootprint(
            embedding + decoderLinear + norms,
            embedding,
            decoderLinear,
            norms,
            layers.Sum(layer => layer.KvCacheBytesPerToken),
            bytesPerElement,
            context,
            layers.Sum(layer => layer.FlopsPerToken) + headFlops,
            layers);
    }

    /// <summary>Returns the element size in bytes of a Hugging Face <c>torch_dtype</c> name.</summary>
    public static int BytesPerElementOf(string torchDtype) => TorchDtypeNames.BytesPerElement(torchDtype);
}
