using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Baseline: SVD-LLM's truncation-aware whitening of one linear layer. With <c>E[x xᵀ] = S Sᵀ</c>
/// (Cholesky), <c>E||x(W − W')ᵀ||² = ||(W − W') S||_F²</c>, so truncating the SVD of <c>W S</c>
/// minimises the layer's output error on the calibration data among rank-k weights.
/// </summary>
public static class SvdLlmBaseline
{
    /// <summary>
    /// Factors <paramref name="inputAutocorrelation"/> <c>= S Sᵀ</c> (if it is not usably positive
    /// definite, retries with a diagonal shift of 1e-6·mean diagonal, then ×10 each time, and
    /// reports the shift), takes <c>W S = U Σ Vᵀ</c> and keeps
    /// <c>W' = U_k Σ_k V_kᵀ S⁻¹</c> as <c>B = U_k Σ_k^{1/2}</c>, <c>A = Σ_k^{1/2} V_kᵀ S⁻¹</c>.
    /// <c>S⁻¹</c> is applied by a triangular solve, never formed.
    /// </summary>
    /// <param name="weight"><c>[out, in]</c>.</param>
    /// <param name="inputAutocorrelation"><c>E[x xᵀ]</c> of the layer's input, <c>[in, in]</c>.</param>
    /// <param name="rank">k, 1 to min(out, in).</param>
    /// <returns>The factors; the error is the relative functional error on the (shifted) statistics.</returns>
    public static LowRankFactors Factorize(torch.Tensor weight, torch.Tensor inputAutocorrelation, int rank)
    {
        SvdBaseline.CheckRank(weight, rank);
        if (inputAutocorrelation.ndim != 2 || inputAutocorrelation.shape[0] != weight.shape[1] || inputAutocorrelation.shape[1] != weight.shape[1])
        {
            throw new ArgumentException($"The input autocorrelation must be [{weight.shape[1]}, {weight.shape[1]}]; got [{string.Join(", ", inputAutocorrelation.shape)}].", nameof(inputAutocorrelation));
        }

        using var scope = torch.NewDisposeScope();
        var whitening = RegularizedCholesky.Factor(inputAutocorrelation.to(torch.float64), 0, out var shift);
        var (u, s, vh) = torch.linalg.svd(weight.to(torch.float64).matmul(whitening), fullMatrices: false);
        var (whitenedA, b) = SvdBaseline.Split(u, s, vh, rank);

        // A = Ã S⁻¹ ⇔ Sᵀ Aᵀ = Ãᵀ, an upper-triangular solve.
        var a = torch.linalg.solve_triangular(whitening.t(), whitenedA.t(), upper: true).t();
        var spectrum = s.cpu().data<double>().ToArray();
        return new LowRankFactors(
            a.to(weight.dtype).contiguous().MoveToOuterDisposeScope(),
            b.to(weight.dtype).MoveToOuterDisposeScope(),
            spectrum,
            LowRankFactors.DiscardedFraction(spectrum, rank),
            shift);
    }
}
