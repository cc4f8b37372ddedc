namespace A3.Compression.Solvers;

/// <summary>
/// The result of <see cref="QkAnalytical"/>: the compressed projections and the spectra that
/// price every other rank. Owns <see cref="Weights"/>.
/// </summary>
/// <param name="Weights">The new q/k projections with head dimension <see cref="Rank"/>. The
/// softmax scale must stay <c>1/sqrt(original dh)</c>: the products <c>q'·k'</c> approximate the
/// original <c>q·k</c>.</param>
/// <param name="Rank">The kept head dimension <c>r</c>.</param>
/// <param name="RelativeError">Discarded over total squared singular values, summed over groups;
/// this is the exact relative functional error under the independence assumption.</param>
/// <param name="SingularValuesPerKeyValueHead">Per key/value group, the full spectrum (length
/// <c>dh</c>, descending) of the stacked whitened product.</param>
/// <param name="Clamp">Eigenvalues of the statistics treated as zero.</param>
public sealed record QkAnalyticalSolution(
    QueryKeyWeights Weights,
    int Rank,
    double RelativeError,
    double[][] SingularValuesPerKeyValueHead,
    ClampReport Clamp) : IDisposable
{
    /// <summary>Computes the relative error the same spectra give at another rank.</summary>
    /// <param name="rank">Head dimension kept, <c>0 ≤ rank ≤ dh</c>.</param>
    /// <returns>Discarded over total squared singular values.</returns>
    public double RelativeErrorFor(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return SpectrumErrors.RelativeDiscardedEnergy(SingularValuesPerKeyValueHead, rank);
    }

    /// <inheritdoc />
    public void Dispose() => Weights.Dispose();
}
