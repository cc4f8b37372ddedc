namespace A3.Runtime.Model;

/// <summary>
/// The <c>[out, in]</c> sizes of a decoder layer's seven linear projections under a (possibly
/// compressed) layer shape; the reader, the loader, the writer and the footprint share them. The
/// projections' names are in <see cref="TensorNames"/>.
/// </summary>
internal static class LinearProjections
{
    /// <summary>Returns the <c>[out, in]</c> size of a projection's (dense) weight in a layer of shape <paramref name="shape"/>.</summary>
    /// <param name="config">The model configuration (hidden size and head counts).</param>
    /// <param name="shape">The layer's shape (head dims and intermediate size).</param>
    /// <param name="projection">One of <see cref="TensorNames.Projections"/>.</param>
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
            TensorNames.QueryProjection => (heads * shape.QkHeadDim, d),
            TensorNames.KeyProjection => (kvHeads * shape.QkHeadDim, d),
            TensorNames.ValueProjection => (kvHeads * shape.VHeadDim, d),
            TensorNames.OutputProjection => (d, heads * shape.VHeadDim),
            TensorNames.GateProjection or TensorNames.UpProjection => (shape.IntermediateSize, d),
            TensorNames.DownProjection => (d, shape.IntermediateSize),
            _ => throw new ArgumentException(
                $"'{projection}' is not a decoder projection; expected one of {string.Join(", ", TensorNames.Projections)}.", nameof(projection)),
        };
    }
}
