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
    /// <summary>
    /// Gets the rank of each projection (a <see cref="TensorNames.Projections"/> entry) stored as a
    /// factorisation <c>W ≈ B·A</c> (tensors <c>weight_a [rank, in]</c> and <c>weight_b [out, rank]</c>);
    /// a projection not listed is dense. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, int> FactorizedRanks { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, int>.Empty;

    /// <summary>Returns the rank of <paramref name="projection"/> when it is factorised, otherwise <c>null</c>.</summary>
    /// <param name="projection">A projection name such as <c>q_proj</c>.</param>
    public int? RankOf(string projection) => FactorizedRanks.TryGetValue(projection, out var rank) ? rank : null;

    /// <summary>Returns whether this layer has the original full shape of <paramref name="config"/> with every projection dense.</summary>
    public bool IsFull(ModelConfig config) =>
        QkHeadDim == config.OriginalHeadDim
        && VHeadDim == config.OriginalHeadDim
        && IntermediateSize == config.IntermediateSize
        && RopePairs.All(pairs => pairs.Count == config.RopePairCount)
        && FactorizedRanks.Count == 0;

    /// <inheritdoc />
    public bool Equals(LayerShape? other) =>
        other is not null
        && QkHeadDim == other.QkHeadDim
        && VHeadDim == other.VHeadDim
        && IntermediateSize == other.IntermediateSize
        && RopePairs.Count == other.RopePairs.Count
        && RopePairs.Zip(other.RopePairs).All(pair => pair.First.SequenceEqual(pair.Second))
        && FactorizedRanks.Count == other.FactorizedRanks.Count
        && FactorizedRanks.All(entry => other.FactorizedRanks.TryGetValue(entry.Key, out var rank) && rank == entry.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(QkHeadDim, VHeadDim, IntermediateSize, RopePairs.Count, FactorizedRanks.Count);
}
