namespace A3.Compression.Solvers;

/// <summary>
/// A selector's neurons in the order it keeps them, with the exact relative functional error of
/// every prefix after the optimal refit, so an allocator can read the error of keeping any
/// <c>k ≤ Order.Count</c> neurons without solving again.
/// </summary>
/// <param name="Order">Neuron indices in the order the selector keeps them.</param>
/// <param name="PrefixErrors">
/// <c>PrefixErrors[k]</c> is <see cref="MlpCur.RelativeError"/> of the first <c>k</c> entries of
/// <paramref name="Order"/>; length <c>Order.Count + 1</c>, starting at 1 (nothing kept) and
/// non-increasing.
/// </param>
public sealed record MlpNeuronRanking(IReadOnlyList<long> Order, IReadOnlyList<double> PrefixErrors)
{
    /// <summary>The first <paramref name="keep"/> neurons of <see cref="Order"/>, ascending.</summary>
    /// <param name="keep">How many neurons to keep, at most <c>Order.Count</c>.</param>
    /// <returns>Sorted neuron indices.</returns>
    public long[] Kept(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, Order.Count);
        var kept = Order.Take(keep).ToArray();
        Array.Sort(kept);
        return kept;
    }
}
