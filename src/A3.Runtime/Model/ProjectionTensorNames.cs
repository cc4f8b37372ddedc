namespace A3.Runtime.Model;

/// <summary>
/// The tensor names of one linear projection of a decoder layer, for example
/// <c>model.layers.3.self_attn.q_proj.weight</c>: its dense weight, its bias, and the two factors that
/// replace the weight when the projection is stored factorised (<c>W ≈ B·A</c>).
/// </summary>
/// <remarks>
/// Which of these a checkpoint holds depends on its configuration: a bias only for <c>q_proj</c>,
/// <c>k_proj</c> and <c>v_proj</c> when <c>attention_bias</c> is set, and the factors instead of the weight
/// when the layer's <see cref="LayerShape.FactorizedRanks"/> lists the projection.
/// </remarks>
internal sealed class ProjectionTensorNames
{
    /// <summary>Initializes a new instance for projection <paramref name="name"/> of module <paramref name="module"/> in the layer with prefix <paramref name="layerPrefix"/>.</summary>
    internal ProjectionTensorNames(string layerPrefix, string module, string name)
    {
        Name = name;
        var stem = $"{layerPrefix}{module}.{name}";
        Weight = stem + TensorNames.WeightSuffix;
        Bias = stem + TensorNames.BiasSuffix;
        WeightA = stem + TensorNames.FactorASuffix;
        WeightB = stem + TensorNames.FactorBSuffix;
    }

    /// <summary>Gets the projection's short name, for example <c>q_proj</c> (one of <see cref="TensorNames.Projections"/>).</summary>
    public string Name { get; }

    /// <summary>Gets the dense weight's name, <c>….weight</c> (<c>[out, in]</c>).</summary>
    public string Weight { get; }

    /// <summary>Gets the bias's name, <c>….bias</c> (<c>[out]</c>).</summary>
    public string Bias { get; }

    /// <summary>Gets the first factor's name, <c>….weight_a</c> (<c>A</c>, <c>[rank, in]</c>).</summary>
    public string WeightA { get; }

    /// <summary>Gets the second factor's name, <c>….weight_b</c> (<c>B</c>, <c>[out, rank]</c>).</summary>
    public string WeightB { get; }
}
