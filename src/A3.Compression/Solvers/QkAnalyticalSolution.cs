namespace A3.Compression.Solvers;

/// <summary>
/// The result of <see cref="QkAnalytical"/>: the compressed projections and the spectra that
/// price every other rank. Owns <see cref="Weights"/> and disposes it in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give the weights two owners.
/// </remarks>
public sealed class QkAnalyticalSolution : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of <paramref name="weights"/>.</summary>
    /// <param name="weights">The new q/k projections with head dimension <paramref name="rank"/>.</param>
    /// <param name="rank">The kept head dimension <c>r</c>.</param>
    /// <param name="relativeError">Discarded over total squared singular values, summed over groups.</param>
    /// <param name="singularValuesPerKeyValueHead">Per key/value group, the full spectrum (length <c>dh</c>, descending).</param>
    /// <param name="clamp">Eigenvalues of the statistics treated as zero.</param>
    public QkAnalyticalSolution(
        QueryKeyWeights weights,
        int rank,
        double relativeError,
        double[][] singularValuesPerKeyValueHead,
        ClampReport clamp)
    {
        Weights = weights;
        Rank = rank;
        RelativeError = relativeError;
        SingularValuesPerKeyValueHead = singularValuesPerKeyValueHead;
        Clamp = clamp;
    }

    /// <summary>
    /// Gets the new q/k projections with head dimension <see cref="Rank"/>; owned by this solution. The
    /// softmax scale must stay <c>1/sqrt(original dh)</c>: the products <c>q'·k'</c> approximate the
    /// original <c>q·k</c>.
    /// </summary>
    public QueryKeyWeights Weights { get; }

    /// <summary>Gets the kept head dimension <c>r</c>.</summary>
    public int Rank { get; }

    /// <summary>
    /// Gets the discarded over total squared singular values, summed over groups; this is the exact
    /// relative functional error under the independence assumption.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>
    /// Gets, per key/value group, the full spectrum (length <c>dh</c>, descending) of the stacked
    /// whitened product.
    /// </summary>
    public double[][] SingularValuesPerKeyValueHead { get; }

    /// <summary>Gets the eigenvalues of the statistics treated as zero.</summary>
    public ClampReport Clamp { get; }

    /// <summary>Computes the relative error the same spectra give at another rank.</summary>
    /// <param name="rank">Head dimension kept, <c>0 ≤ rank ≤ dh</c>.</param>
    /// <returns>Discarded over total squared singular values.</returns>
    public double RelativeErrorFor(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return SpectrumErrors.RelativeDiscardedEnergy(SingularValuesPerKeyValueHead, rank);
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
