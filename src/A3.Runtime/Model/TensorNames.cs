namespace A3.Runtime.Model;

/// <summary>
/// The Hugging Face <c>LlamaForCausalLM</c> tensor names the runtime reads and writes: the global
/// tensors here, a decoder layer's through <see cref="Layer"/>. Every spelling of a name lives in
/// this file, so the loader, the shape table, the llama2.c import and the compressors cannot disagree.
/// </summary>
/// <remarks>
/// A layer's names read as domain names, for example <c>TensorNames.Layer(3).Query.Weight</c> is
/// <c>model.layers.3.self_attn.q_proj.weight</c> and <c>TensorNames.Layer(3).Down.WeightA</c> is the
/// first factor <c>model.layers.3.mlp.down_proj.weight_a</c> of a factorised projection.
/// </remarks>
internal static class TensorNames
{
    // The fragments below are the only place the Hugging Face spelling is written out;
    // LayerTensorNames and ProjectionTensorNames compose a layer's names from them.
    internal const string QueryProjection = "q_proj";
    internal const string KeyProjection = "k_proj";
    internal const string ValueProjection = "v_proj";
    internal const string OutputProjection = "o_proj";
    internal const string GateProjection = "gate_proj";
    internal const string UpProjection = "up_proj";
    internal const string DownProjection = "down_proj";
    internal const string AttentionModule = "self_attn";
    internal const string MlpModule = "mlp";
    internal const string InputNorm = "input_layernorm.weight";
    internal const string PostAttentionNorm = "post_attention_layernorm.weight";
    internal const string WeightSuffix = ".weight";
    internal const string BiasSuffix = ".bias";
    internal const string FactorASuffix = ".weight_a";
    internal const string FactorBSuffix = ".weight_b";
    private const string LayerPrefix = "model.layers.";

    /// <summary>Gets the token embedding table's name, <c>model.embed_tokens.weight</c> (<c>[vocab, hidden]</c>).</summary>
    public static string Embeddings { get; } = "model.embed_tokens.weight";

    /// <summary>Gets the final RMSNorm weight's name, <c>model.norm.weight</c> (<c>[hidden]</c>).</summary>
    public static string FinalNorm { get; } = "model.norm.weight";

    /// <summary>Gets the LM head's name, <c>lm_head.weight</c> (<c>[vocab, hidden]</c>); absent when the embeddings are tied.</summary>
    public static string LmHead { get; } = "lm_head.weight";

    /// <summary>
    /// Gets the short names of a layer's seven linear projections in layer order: <c>q_proj</c>, <c>k_proj</c>,
    /// <c>v_proj</c>, <c>o_proj</c>, <c>gate_proj</c>, <c>up_proj</c>, <c>down_proj</c>. They key the factorised
    /// ranks of <see cref="LayerShape.FactorizedRanks"/> and name a baseline's report components.
    /// </summary>
    public static IReadOnlyList<string> Projections { get; } =
        [QueryProjection, KeyProjection, ValueProjection, OutputProjection, GateProjection, UpProjection, DownProjection];

    /// <summary>Returns the names of decoder layer <paramref name="index"/>'s tensors.</summary>
    /// <param name="index">The layer index, zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static LayerTensorNames Layer(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new LayerTensorNames(index, $"{LayerPrefix}{index}.");
    }

    /// <summary>Returns whether <paramref name="projection"/> is one of <see cref="Projections"/>.</summary>
    /// <param name="projection">A projection short name such as <c>q_proj</c>.</param>
    public static bool IsProjection(string projection) => Projections.Contains(projection, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether <paramref name="name"/> lies in a decoder layer's attention or MLP module
    /// (<c>model.layers.*</c> containing <c>.self_attn.</c> or <c>.mlp.</c>): the projections with their biases
    /// and factors, and anything else a checkpoint keeps there, such as older exports' <c>rotary_emb.inv_freq</c>.
    /// </summary>
    /// <param name="name">A tensor name.</param>
    public static bool IsInAttentionOrMlp(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(LayerPrefix, StringComparison.Ordinal)
            && (name.Contains("." + AttentionModule + ".", StringComparison.Ordinal) || name.Contains("." + MlpModule + ".", StringComparison.Ordinal));
    }
}
