using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>
/// Causal grouped-query self-attention with per-layer (possibly compressed) query/key and value
/// head dims. Query head <c>h</c> reads key/value head <c>h / (H/H_kv)</c>; the keys and values
/// are never repeated per query head, the query heads are grouped instead.
/// </summary>
internal sealed class Attention : IDisposable
{
    private readonly AttentionWeights weights;
    private readonly RotaryEmbedding rope;
    private readonly int heads;
    private readonly int keyValueHeads;
    private readonly int qkDim;
    private readonly int vDim;
    private readonly double scale;

    /// <summary>Initializes a new instance that owns <paramref name="weights"/> and <paramref name="rope"/>.</summary>
    public Attention(ModelConfig config, LayerShape shape, AttentionWeights weights, RotaryEmbedding rope)
    {
        this.weights = weights;
        this.rope = rope;
        heads = config.NumAttentionHeads;
        keyValueHeads = config.NumKeyValueHeads;
        qkDim = shape.QkHeadDim;
        vDim = shape.VHeadDim;
        scale = config.AttentionScale;
    }

    /// <summary>
    /// Attends <paramref name="x"/> (<c>[B, T, d]</c>, positions <c>start … start+T−1</c>) to itself and,
    /// when <paramref name="cache"/> is given, to the cached positions <c>0 … start−1</c>, appending its keys and values.
    /// <paramref name="observer"/>, when given, sees the queries and keys before RoPE and the input of o_proj.
    /// </summary>
    public torch.Tensor Forward(torch.Tensor x, long start, LayerCache? cache, ILayerObserver? observer = null)
    {
        using var scope = torch.NewDisposeScope();
        var batch = x.shape[0];
        var length = x.shape[1];
        var group = heads / keyValueHeads;

        var queryProjection = weights.Query.Forward(x);
        var keyProjection = weights.Key.Forward(x);

        // Head-major rows of q_proj: query head h = j·group + g is key/value head j's g-th query.
        observer?.OnQueryKey(
            queryProjection.view(batch, length, heads, qkDim), keyProjection.view(batch, length, keyValueHeads, qkDim));
        var q = queryProjection.view(batch, length, keyValueHeads, group, qkDim).permute(0, 2, 3, 1, 4);
        var k = keyProjection.view(batch, length, keyValueHeads, qkDim).transpose(1, 2);
        var v = weights.Value.Forward(x)
            .view(batch, length, keyValueHeads, vDim).transpose(1, 2);

        var (cos, sin) = rope.Angles(start, length, x.dtype);
        q = rope.Apply(q, cos.unsqueeze(1), sin.unsqueeze(1));
        k = rope.Apply(k, cos, sin);

        if (cache is not null)
        {
            (k, v) = cache.Append(k, v, start);
        }

        var total = k.shape[2];

        // Explicit, disposed Scalars: TorchSharp's implicit double→Scalar conversions are freed by the
        // finalizer, which can run while the native call still reads them (seen as a libtorch
        // "toFloat" check failure under memory pressure).
        using var scaleScalar = scale.ToScalar();
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        var scores = torch.matmul(q, k.unsqueeze(2).transpose(-2, -1)).to(torch.float32).mul(scaleScalar);
        var queryPositions = Positions.Range(start, start + length, torch.int64, x.device).view(length, 1);
        var keyPositions = Positions.Range(0, total, torch.int64, x.device).view(1, total);
        scores = scores.masked_fill(keyPositions > queryPositions, minusInfinity);
        var probabilities = scores.softmax(-1).to(x.dtype);

        var context = torch.matmul(probabilities, v.unsqueeze(2))
            .permute(0, 3, 1, 2, 4).reshape(batch, length, heads * vDim);
        observer?.OnAttentionOutput(context);
        return weights.Output.Forward(context).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        weights.Dispose();
        rope.Dispose();
    }
}
