namespace A3.Runtime.Model;

/// <summary>
/// The seven linear projections of a decoder layer, their tensor names and their <c>[out, in]</c>
/// sizes under a (possibly compressed) layer shape; the single table the reader, the loader, the
/// writer and the footprint use for factorised layers.
/// </summary>
public static class LinearProjections
{
    /// <summary>The projection names, in layer order: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>, <c>gate_proj</c>, <c>up_proj</c>, <c>down_proj</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>Returns whether <paramref name="projection"/> is one of <see cref="Names"/>.</summary>
    /// <param name="projection">A projection name such as <c>q_proj</c>.</param>
    public static bool IsKnown(string projection) => Names.Contains(projection, StringComparer.Ordinal);

    /// <summary>Returns the tensor name stem of a projection, for example <c>model.layers.3.self_attn.q_proj</c>.</summary>
    /// <param name="layer">The decoder layer index.</param>
    /// <param name="projection">One of <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="projection"/> is not a known projection.</exception>
    public static string TensorStem(int layer, string projection) => $"model.layers.{layer}.{Module(projection)}.{projection}";

    /// <summary>Returns the <c>[out, in]</c> size of a projection's (dense) weight in a layer of shape <paramref name="shape"/>.</summary>
    /// <param name="config">The model configuration (hidden size and head counts).</param>
    /// <param name="shape">The layer's shape (head dims and intermediate size).</param>
    /// <param name="projection">One of <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="projection"/> is not a known projection.</exception>
    public static (long Out, long In) Dimensions(ModelConfig config, LayerShape shape, string projection)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(shape);
        long d = config.HiddenSize;
        long heads = config.NumAttentionHeads;
        long kvHeads = config.NumKeyValueHeads;
        return projection switch
        {
            "q_proj" => (heads * shape.QkHeadDim, d),
            "k_proj" => (kvHeads * shape.QkHeadDim, d),
            "v_proj" => (kvHeads * shape.VHeadDim, d),
            "o_proj" => (d, heads * shape.VHeadDim),
            "gate_proj" or "up_proj" => (shape.IntermediateSize, d),
            "down_proj" => (d, shape.IntermediateSize),
            _ => throw Unknown(projection),
        };
    }

    private static string Module(string projection) => projection switch
    {
        "q_proj" or "k_proj" or "v_proj" or "o_proj" => "self_attn",
        "gate_proj" or "up_proj" or "down_proj" => "mlp",
        _ => throw Unknown(projection),
    };

    private static ArgumentException Unknown(string projection) =>
        new($"'{projection}' is not a decoder projection; expected one of {string.Join(", ", Names)}.", nameof(projection));
}
