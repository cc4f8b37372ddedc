using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// A linear layer <c>W [out, in]</c> factorised as <c>W ≈ B·A</c>, i.e. two linear layers
/// <c>in → k → out</c> (<see cref="SvdBaseline"/>, <see cref="SvdLlmBaseline"/>). Owns <see cref="A"/>
/// and <see cref="B"/> and disposes them in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of native tensors has identity, not value equality, and
/// a <c>with</c> copy would give one tensor two owners.
/// </remarks>
public sealed class LowRankFactors : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of both factors.</summary>
    /// <param name="a">First factor, <c>[k, in]</c> (the <c>in → k</c> layer's weight), in the weight's dtype.</param>
    /// <param name="b">Second factor, <c>[out, k]</c> (the <c>k → out</c> layer's weight), in the weight's dtype.</param>
    /// <param name="singularValues">Full descending spectrum that was truncated, float64 (see <see cref="SingularValues"/>).</param>
    /// <param name="relativeError">Discarded energy over total (see <see cref="RelativeError"/>).</param>
    /// <param name="shift">Absolute diagonal shift added to the input autocorrelation before its Cholesky factorisation.</param>
    public LowRankFactors(
        torch.Tensor a,
        torch.Tensor b,
        IReadOnlyList<double> singularValues,
        double relativeError,
        double shift)
    {
        A = a;
        B = b;
        SingularValues = singularValues;
        RelativeError = relativeError;
        Shift = shift;
    }

    /// <summary>Gets the first factor, <c>[k, in]</c> (the <c>in → k</c> layer's weight), in the weight's dtype.</summary>
    public torch.Tensor A { get; }

    /// <summary>Gets the second factor, <c>[out, k]</c> (the <c>k → out</c> layer's weight), in the weight's dtype.</summary>
    public torch.Tensor B { get; }

    /// <summary>
    /// Gets the full descending spectrum that was truncated, float64: of <c>W</c> for plain SVD, of the
    /// whitened <c>W S</c> for SVD-LLM. The error of any other rank follows from it.
    /// </summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>
    /// Gets the discarded energy over total, <c>Σ_{i≥k} σᵢ² / Σ σᵢ²</c>: the relative Frobenius error for plain
    /// SVD, the relative functional error <c>E||x(W − BA)ᵀ||² / E||x Wᵀ||²</c> for SVD-LLM (exact for
    /// the shifted autocorrelation when <see cref="Shift"/> &gt; 0). 0 for a zero weight.
    /// </summary>
    public double RelativeError { get; }

    /// <summary>
    /// Gets the absolute diagonal shift added to the input autocorrelation before its Cholesky
    /// factorisation; 0 for plain SVD and whenever none was needed.
    /// </summary>
    public double Shift { get; }

    /// <summary>Gets the rank <c>k</c>.</summary>
    public long Rank => A.shape[0];

    /// <summary>Disposes both factors; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        A.Dispose();
        B.Dispose();
    }

    /// <summary>Discarded energy over total for a spectrum truncated to <paramref name="rank"/>.</summary>
    internal static double DiscardedFraction(double[] singularValues, int rank)
    {
        var total = singularValues.Sum(s => s * s);
        return total > 0 ? singularValues.Skip(rank).Sum(s => s * s) / total : 0;
    }
}
