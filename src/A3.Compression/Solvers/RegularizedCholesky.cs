using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>
/// Cholesky factor of a symmetric positive semi-definite float64 matrix, with a diagonal shift
/// that grows until the factor is usable. Shared by the MLP refit (ridge) and SVD-LLM whitening.
/// </summary>
internal static class RegularizedCholesky
{
    /// <summary>
    /// Smallest accepted squared pivot of the factor relative to the mean diagonal. A factor with a
    /// smaller pivot technically exists but its triangular solves amplify rounding by more than
    /// 10⁶, which is how an exactly singular matrix (duplicated features) slips through libtorch's
    /// own check with a pivot of rounding size.
    /// </summary>
    public const double MinimumRelativePivot = 1e-12;

    /// <summary>The first shift tried, relative to the mean diagonal, when the caller asks for none.</summary>
    public const double FirstRelativeShift = 1e-6;

    private const int MaximumAttempts = 16;

    /// <summary>
    /// Factors <c>matrix + shift·I = L Lᵀ</c>. Tries <paramref name="relativeShift"/>·m first
    /// (m = mean diagonal, or 1 when that is not positive); on failure starts from
    /// <see cref="FirstRelativeShift"/>·m (or ten times the previous shift) and multiplies by ten.
    /// </summary>
    /// <param name="matrix">Symmetric <c>[n, n]</c> float64 matrix.</param>
    /// <param name="relativeShift">First shift, relative to the mean diagonal; 0 tries the matrix itself.</param>
    /// <param name="shift">The absolute shift that was added to the diagonal.</param>
    /// <returns>The lower-triangular factor, float64.</returns>
    public static torch.Tensor Factor(torch.Tensor matrix, double relativeShift, out double shift)
    {
        using var scope = torch.NewDisposeScope();
        var n = matrix.shape[0];
        var diagonal = matrix.diagonal();
        var meanDiagonal = diagonal.mean().item<double>();
        var scale = meanDiagonal > 0 && double.IsFinite(meanDiagonal) ? meanDiagonal : 1.0;
        shift = relativeShift * scale;
        for (var attempt = 0; attempt < MaximumAttempts; attempt++)
        {
            // The shift goes onto a copy's diagonal in place: an n × n identity to add would be one more matrix of
            // the factor's size (1 GB at an 11,469-neuron refit).
            using var shifted = matrix.clone();
            if (shift > 0)
            {
                using var shiftScalar = shift.ToScalar();
                using var shiftedDiagonal = shifted.diagonal();
                shiftedDiagonal.add_(shiftScalar);
            }

            var (factor, info) = torch.linalg.cholesky_ex(shifted);
            using (info)
            {
                if (info.item<int>() == 0 && IsUsable(factor, scale))
                {
                    return factor.MoveToOuterDisposeScope();
                }
            }

            factor.Dispose();
            shift = shift > 0 ? shift * 10 : FirstRelativeShift * scale;
        }

        throw new InvalidOperationException(
            $"The {n}×{n} matrix is not positive definite even with a diagonal shift of {shift / 10:G3}; it contains non-finite values or is not symmetric positive semi-definite.");
    }

    private static bool IsUsable(torch.Tensor factor, double scale)
    {
        // square() is pow(2) with an exponent Scalar that TorchSharp converts internally and leaves to
        // the finalizer, which can free it while the native call still reads it; pow with an explicit,
        // disposed 2 is the same call.
        using var two = 2.ToScalar();
        using var pivots = factor.diagonal().pow(two);
        var smallest = pivots.min().item<double>();
        return double.IsFinite(smallest) && smallest > MinimumRelativePivot * scale;
    }
}
