using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Solvers;

/// <summary>
/// Matrix functions of symmetric positive semi-definite matrices (calibration second moments)
/// computed in float64 through an eigendecomposition. Eigenvalues at or below
/// <c>relativeEpsilon·max(eig)</c> are treated as exactly zero for every function, so the
/// inverse functions act as pseudo-inverses on the (numerical) null space instead of blowing
/// up directions the calibration data never visited.
/// </summary>
internal static class SymmetricMatrixFunctions
{
    /// <summary>
    /// The default clamp relative to the largest eigenvalue: well above float64 round-off of an
    /// eigendecomposition, well below any direction that carries real signal.
    /// </summary>
    public const double DefaultRelativeEpsilon = 1e-10;

    private enum SpectralMap
    {
        Sqrt,
        InverseSqrt,
        Inverse,
    }

    /// <summary>Computes the principal square root <c>C^{1/2}</c>.</summary>
    /// <param name="matrix">A symmetric PSD <c>[n, n]</c> matrix, any floating dtype.</param>
    /// <param name="clamp">How many eigenvalues were treated as zero.</param>
    /// <param name="relativeEpsilon">The clamp relative to the largest eigenvalue.</param>
    /// <returns>A float64 <c>[n, n]</c> tensor the caller owns.</returns>
    public static Tensor Sqrt(Tensor matrix, out ClampReport clamp, double relativeEpsilon = DefaultRelativeEpsilon)
    {
        var (result, report) = Map(matrix, relativeEpsilon, SpectralMap.Sqrt);
        clamp = report;
        return result;
    }

    /// <summary>Computes the pseudo-inverse square root <c>C^{-1/2}</c> (zero on the clamped null space).</summary>
    /// <param name="matrix">A symmetric PSD <c>[n, n]</c> matrix, any floating dtype.</param>
    /// <param name="clamp">How many eigenvalues were treated as zero.</param>
    /// <param name="relativeEpsilon">The clamp relative to the largest eigenvalue.</param>
    /// <returns>A float64 <c>[n, n]</c> tensor the caller owns.</returns>
    public static Tensor InverseSqrt(Tensor matrix, out ClampReport clamp, double relativeEpsilon = DefaultRelativeEpsilon)
    {
        var (result, report) = Map(matrix, relativeEpsilon, SpectralMap.InverseSqrt);
        clamp = report;
        return result;
    }

    /// <summary>Computes the Moore–Penrose pseudo-inverse <c>C^{+}</c> with the same clamp.</summary>
    /// <param name="matrix">A symmetric PSD <c>[n, n]</c> matrix, any floating dtype.</param>
    /// <param name="clamp">How many eigenvalues were treated as zero.</param>
    /// <param name="relativeEpsilon">The clamp relative to the largest eigenvalue.</param>
    /// <returns>A float64 <c>[n, n]</c> tensor the caller owns.</returns>
    public static Tensor PseudoInverse(Tensor matrix, out ClampReport clamp, double relativeEpsilon = DefaultRelativeEpsilon)
    {
        var (result, report) = Map(matrix, relativeEpsilon, SpectralMap.Inverse);
        clamp = report;
        return result;
    }

    /// <summary>
    /// Computes <c>C^{1/2}</c> and <c>C^{-1/2}</c> from one eigendecomposition, which every
    /// whitening solver needs together.
    /// </summary>
    internal static (Tensor Sqrt, Tensor InverseSqrt, ClampReport Clamp) SquareRoots(Tensor matrix, double relativeEpsilon)
    {
        using var scope = NewDisposeScope();
        var (values, vectors, keep, clamp) = Decompose(matrix, relativeEpsilon);
        var sqrt = Reconstruct(values, vectors, keep, SpectralMap.Sqrt);
        var inverseSqrt = Reconstruct(values, vectors, keep, SpectralMap.InverseSqrt);
        return (sqrt.MoveToOuterDisposeScope(), inverseSqrt.MoveToOuterDisposeScope(), clamp);
    }

    private static (Tensor Result, ClampReport Clamp) Map(Tensor matrix, double relativeEpsilon, SpectralMap map)
    {
        using var scope = NewDisposeScope();
        var (values, vectors, keep, clamp) = Decompose(matrix, relativeEpsilon);
        return (Reconstruct(values, vectors, keep, map).MoveToOuterDisposeScope(), clamp);
    }

    private static (Tensor Values, Tensor Vectors, Tensor Keep, ClampReport Clamp) Decompose(Tensor matrix, double relativeEpsilon)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1])
        {
            throw new ArgumentException($"Expected a square matrix, got [{string.Join(", ", matrix.shape)}].", nameof(matrix));
        }

        if (!(relativeEpsilon >= 0 && relativeEpsilon < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeEpsilon), relativeEpsilon, "The relative clamp must lie in [0, 1).");
        }

        var c = matrix.to_type(ScalarType.Float64);

        // Statistics accumulated in float32 are symmetric only up to round-off; eigh reads one
        // triangle, so symmetrise first to make the result independent of which one. The alpha of 1
        // is explicit and disposed like the half: add(Tensor) would convert it internally and leave
        // it to the finalizer, which can free it while the native add still reads it.
        using var half = 0.5.ToScalar();
        using var one = 1.ToScalar();
        var symmetric = c.add(c.transpose(0, 1), one).mul(half);
        var (values, vectors) = linalg.eigh(symmetric);
        var largest = values.numel() == 0 ? 0.0 : values.max().item<double>();
        var threshold = relativeEpsilon * Math.Max(largest, 0.0);
        using var thresholdScalar = threshold.ToScalar();
        var keep = values.gt(thresholdScalar);
        var clamped = (int)(values.numel() - keep.sum().item<long>());
        return (values, vectors, keep, new ClampReport((int)values.numel(), clamped, threshold, largest));
    }

    private static Tensor Reconstruct(Tensor values, Tensor vectors, Tensor keep, SpectralMap map)
    {
        // Substitute 1 for clamped eigenvalues before mapping so no inf/NaN ever appears, then
        // zero them: the function is defined as 0 on the null space.
        var safe = where(keep, values, ones_like(values));
        var mapped = map switch
        {
            SpectralMap.Sqrt => safe.sqrt(),
            SpectralMap.InverseSqrt => safe.rsqrt(),
            _ => safe.reciprocal(),
        };
        mapped = where(keep, mapped, zeros_like(mapped));
        return vectors.mul(mapped.unsqueeze(0)).matmul(vectors.transpose(0, 1));
    }
}
