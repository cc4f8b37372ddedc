namespace A3.Compression.Solvers;

/// <summary>
/// The result of <see cref="OvAnalytical"/>: the compressed projections, the true functional
/// error after the output refit, and the spectra for pricing other ranks. Owns <see cref="Weights"/>
/// and disposes it in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give the weights two owners.
/// </remarks>
public sealed class OvAnalyticalSolution : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of <paramref name="weights"/>.</summary>
    /// <param name="weights">The new v/o projections with value head dimension <paramref name="rank"/>.</param>
    /// <param name="rank">The kept value head dimension <c>r</c>.</param>
    /// <param name="sharing">Whether value heads stay shared per key/value head or were fused per query head.</param>
    /// <param name="relativeError">The true functional error after the refit (see <see cref="RelativeError"/>).</param>
    /// <param name="singularValuesPerValueHead">Per new value head, the full spectrum (see <see cref="SingularValuesPerValueHead"/>).</param>
    /// <param name="clamp">Eigenvalues of the statistics treated as zero.</param>
    public OvAnalyticalSolution(
        ValueOutputWeights weights,
        int rank,
        ValueHeadSharing sharing,
        double relativeError,
        double[][] singularValuesPerValueHead,
        ClampReport clamp)
    {
        Weights = weights;
        Rank = rank;
        Sharing = sharing;
        RelativeError = relativeError;
        SingularValuesPerValueHead = singularValuesPerValueHead;
        Clamp = clamp;
    }

    /// <summary>Gets the new v/o projections with value head dimension <see cref="Rank"/>; owned by this solution.</summary>
    public ValueOutputWeights Weights { get; }

    /// <summary>Gets the kept value head dimension <c>r</c>.</summary>
    public int Rank { get; }

    /// <summary>Gets whether value heads stay shared per key/value head or were fused per query head.</summary>
    public ValueHeadSharing Sharing { get; }

    /// <summary>
    /// Gets the true functional error after the refit,
    /// <c>Σ_h tr((W_o^h − P W_o'^h)ᵀ C_h (W_o^h − P W_o'^h)) / Σ_h tr(W_o^hᵀ C_h W_o^h)</c>.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>
    /// Gets, per new value head (per key/value head when shared, per query head when fused), the full
    /// spectrum (length <c>dh</c>, descending) of <c>C̄^{1/2} [W_o^{h1}, …]</c>.
    /// </summary>
    public double[][] SingularValuesPerValueHead { get; }

    /// <summary>Gets the eigenvalues of the statistics treated as zero.</summary>
    public ClampReport Clamp { get; }

    /// <summary>
    /// Estimates the relative error at another rank from the spectra: the discarded energy of
    /// the whitened SVD, before the per-head refit. It is exact for one query head per value head
    /// (MHA, or fused); for shared GQA its numerator bounds the un-refit error from above (it
    /// weighs every head with the group sum <c>C̄ ⪰ C_h</c>) and the refit only lowers it, so
    /// use it for ranking ranks, and <see cref="RelativeError"/> for reporting.
    /// </summary>
    /// <param name="rank">Value head dimension kept, <c>0 ≤ rank ≤ dh</c>.</param>
    /// <returns>Discarded over total squared singular values.</returns>
    public double EstimatedRelativeErrorFor(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return SpectrumErrors.RelativeDiscardedEnergy(SingularValuesPerValueHead, rank);
    }

    /// <summary>Disposes <see cref="Weights"/>; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Weights.Dispose();
    }
}
