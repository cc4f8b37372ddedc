namespace A3.Runtime.Model;

/// <summary>
/// The tensor names of one decoder layer (<c>model.layers.{i}.…</c>), from <see cref="TensorNames.Layer"/>:
/// its two RMSNorm weights and its seven linear projections.
/// </summary>
internal sealed class LayerTensorNames
{
    private readonly string prefix;

    /// <summary>Initializes a new instance for layer <paramref name="index"/>, whose names start with <paramref name="prefix"/>.</summary>
    internal LayerTensorNames(int index, string prefix)
    {
        Index = index;
        this.prefix = prefix;
        InputNorm = prefix + TensorNames.InputNorm;
        PostAttentionNorm = prefix + TensorNames.PostAttentionNorm;
        Query = new ProjectionTensorNames(prefix, TensorNames.AttentionModule, TensorNames.QueryProjection);
        Key = new ProjectionTensorNames(prefix, TensorNames.AttentionModule, TensorNames.KeyProjection);
        Value = new ProjectionTensorNames(prefix, TensorNames.AttentionModule, TensorNames.ValueProjection);
        Output = new ProjectionTensorNames(prefix, TensorNames.AttentionModule, TensorNames.OutputProjection);
        Gate = new ProjectionTensorNames(prefix, TensorNames.MlpModule, TensorNames.GateProjection);
        Up = new ProjectionTensorNames(prefix, TensorNames.MlpModule, TensorNames.UpProjection);
        Down = new ProjectionTensorNames(prefix, TensorNames.MlpModule, TensorNames.DownProjection);
        Projections = [Query, Key, Value, Output, Gate, Up, Down];
    }

    /// <summary>Gets the layer index.</summary>
    public int Index { get; }

    /// <summary>Gets the RMSNorm weight before attention, <c>model.layers.{i}.input_layernorm.weight</c>.</summary>
    public string InputNorm { get; }

    /// <summary>Gets the RMSNorm weight before the MLP, <c>model.layers.{i}.post_attention_layernorm.weight</c>.</summary>
    public string PostAttentionNorm { get; }

    /// <summary>Gets the query projection's names, <c>model.layers.{i}.self_attn.q_proj.*</c>.</summary>
    public ProjectionTensorNames Query { get; }

    /// <summary>Gets the key projection's names, <c>model.layers.{i}.self_attn.k_proj.*</c>.</summary>
    public ProjectionTensorNames Key { get; }

    /// <summary>Gets the value projection's names, <c>model.layers.{i}.self_attn.v_proj.*</c>.</summary>
    public ProjectionTensorNames Value { get; }

    /// <summary>Gets the attention output projection's names, <c>model.layers.{i}.self_attn.o_proj.*</c>.</summary>
    public ProjectionTensorNames Output { get; }

    /// <summary>Gets the MLP gate projection's names, <c>model.layers.{i}.mlp.gate_proj.*</c>.</summary>
    public ProjectionTensorNames Gate { get; }

    /// <summary>Gets the MLP up projection's names, <c>model.layers.{i}.mlp.up_proj.*</c>.</summary>
    public ProjectionTensorNames Up { get; }

    /// <summary>Gets the MLP down projection's names, <c>model.layers.{i}.mlp.down_proj.*</c>.</summary>
    public ProjectionTensorNames Down { get; }

    /// <summary>Gets the seven projections in layer order (the order of <see cref="TensorNames.Projections"/>).</summary>
    public IReadOnlyList<ProjectionTensorNames> Projections { get; }

    /// <summary>Returns the names of the projection with short name <paramref name="projection"/>, for example <c>q_proj</c>.</summary>
    /// <param name="projection">One of <see cref="TensorNames.Projections"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="projection"/> is not a known projection.</exception>
    public ProjectionTensorNames Projection(string projection) =>
        Projections.FirstOrDefault(names => string.Equals(names.Name, projection, StringComparison.Ordinal))
        ?? throw new ArgumentException(
            $"'{projection}' is not a decoder projection; expected one of {string.Join(", ", TensorNames.Projections)}.", nameof(projection));

    /// <summary>
    /// Returns <paramref name="name"/>, one of this layer's names, without the <c>model.layers.{i}.</c> prefix
    /// (for example <c>self_attn.q_proj.weight</c>): how messages name a tensor of a layer whose index is not known.
    /// </summary>
    /// <param name="name">A name of this layer.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not in this layer.</exception>
    internal string WithinLayer(string name) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
            ? name[prefix.Length..]
            : throw new ArgumentException($"'{name}' is not a tensor of layer {Index}.", nameof(name));
}
