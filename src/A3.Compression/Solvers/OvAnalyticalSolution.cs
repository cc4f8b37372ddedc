namespace A3.Compression.Solvers;

/// <summary>
/// The result of <see cref="OvAnalytical"/>: the compressed projections, the true functional
/// error after the output refit, and the spectra for pricing other ranks. Owns <see cref="Weights"/>.
/// </summary>
/// <param name="Weights">The new v/o projections with value head dimension <see cref="Rank"/>.</param>
/// <param name="Rank">The kept value head dimension <c>r</c>.</param>
/// <param name="Sharing">Whether value heads stay shared per key/value head or were fused per query head.</param>
/// <param name="RelativeError">The true functional error after the refit,
/// <c>Σ_h tr((W_o^h − P W_o'^h)ᵀ C_h (W_o^h − P W_o'^h)) / Σ_h tr(W_o^hᵀ C_h W_o^h)</c>.</param>
/// <param name="SingularValuesPerValueHead">Per new value head (per key/value head when shared,
/// per query head when fused), the full spectrum (length <c>dh</c>, descending) of
/// <c>C̄^{1/2} [W_o^{h1}, …]</c>.</param>
/// <param name="Clamp">Eigenvalues of the statistics treated as zero.</param>
public sealed record OvAnalyticalSolution(
    ValueOutputWeights Weights,
    int Rank,
    ValueHeadSharing Sharing,
    double RelativeError,
    double[][] SingularValuesPerValueHead,
    ClampReport Clamp) : IDisposable
{
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

    /// <inheritdoc />
    public void Dispose() => Weights.Dispose();
}
