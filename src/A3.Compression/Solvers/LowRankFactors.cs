using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// A linear layer <c>W [out, in]</c> factorised as <c>W ≈ B·A</c>, i.e. two linear layers
/// <c>in → k → out</c> (<see cref="SvdBaseline"/>, <see cref="SvdLlmBaseline"/>). Owns its tensors.
/// </summary>
/// <param name="A">First factor, <c>[k, in]</c> (the <c>in → k</c> layer's weight), in the weight's dtype.</param>
/// <param name="B">Second factor, <c>[out, k]</c> (the <c>k → out</c> layer's weight), in the weight's dtype.</param>
/// <param name="SingularValues">
/// Full descending spectrum that was truncated, float64: of <c>W</c> for plain SVD, of the
/// whitened <c>W S</c> for SVD-LLM. The error of any other rank follows from it.
/// </param>
/// <param name="RelativeError">
/// Discarded energy over total, <c>Σ_{i≥k} σᵢ² / Σ σᵢ²</c>: the relative Frobenius error for plain
/// SVD, the relative functional error <c>E||x(W − BA)ᵀ||² / E||x Wᵀ||²</c> for SVD-LLM (exact for
/// the shifted autocorrelation when <paramref name="Shift"/> &gt; 0). 0 for a zero weight.
/// </param>
/// <param name="Shift">Absolute diagonal shift added to the input autocorrelation before its Cholesky factorisation; 0 for plain SVD and whenever none was needed.</param>
public sealed record LowRankFactors(
    torch.Tensor A,
    torch.Tensor B,
    IReadOnlyList<double> SingularValues,
    double RelativeError,
    double Shift) : IDisposable
{
    /// <summary>Gets the rank <c>k</c>.</summary>
    public long Rank => A.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
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
