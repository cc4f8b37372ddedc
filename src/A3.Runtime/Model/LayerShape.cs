namespace A3.Runtime.Model;

/// <summary>The inner dimensions of one decoder layer, which A3 compression shrinks.</summary>
/// <param name="QkHeadDim">Query/key head dimension; always <c>2 × RopePairs[j].Count</c> for RoPE models.</param>
/// <param name="VHeadDim">Value head dimension (rows of o_proj's input per head).</param>
/// <param name="IntermediateSize">MLP intermediate size.</param>
/// <param name="RopePairs">
/// For each key/value head <c>j</c>, the ascending original frequency indices <c>k</c> kept
/// (θ_k = rope_theta^(−2k/original_head_dim)). Inside the head, kept pair <c>m</c> occupies
/// dims <c>m</c> and <c>m + QkHeadDim/2</c> (the Hugging Face rotate_half layout).
/// </param>
public sealed record LayerShape(int QkHeadDim, int VHeadDim, int IntermediateSize, IReadOnlyList<IReadOnlyList<int>> RopePairs)
{
    /// <summary>Returns whether this layer has the original full shape of <paramref name="config"/>.</summary>
    public bool IsFull(ModelConfig config) =>
        QkHeadDim == config.OriginalHeadDim
        && VHeadDim == config.OriginalHeadDim
        && IntermediateSize == config.IntermediateSize
        && RopePairs.All(pairs => pairs.Count == config.RopePairCount);

    /// <inheritdoc />
    public bool Equals(LayerShape? other) =>
        other is not null
        && QkHeadDim == other.QkHeadDim
        && VHeadDim == other.VHeadDim
        && IntermediateSize == other.IntermediateSize
        && RopePairs.Count == other.RopePairs.Count
        && RopePairs.Zip(other.RopePairs).All(pair => pair.First.SequenceEqual(pair.Second));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(QkHeadDim, VHeadDim, IntermediateSize, RopePairs.Count);
}
