using A3.Compression.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

public sealed class SymmetricMatrixFunctionsTests
{
    [Fact]
    public void The_square_root_squares_back_and_the_inverse_root_whitens()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 1, heads: 1, keyValueHeads: 1, headDim: 2);
        var b = problem.Gaussian(10, 10);
        var c = b.matmul(b.transpose(0, 1)).to_type(ScalarType.Float32);
        var c64 = c.to_type(ScalarType.Float64);

        var sqrt = SymmetricMatrixFunctions.Sqrt(c, out var clamp);
        var inverseSqrt = SymmetricMatrixFunctions.InverseSqrt(c, out _);

        Assert.Equal(ScalarType.Float64, sqrt.dtype);
        Assert.Equal(0, clamp.ClampedEigenvalues);
        Assert.Equal(10, clamp.Dimension);
        Assert.True(RelativeDifference(sqrt.matmul(sqrt), c64) < 1e-12);
        Assert.True(RelativeDifference(sqrt, sqrt.transpose(0, 1)) < 1e-14);
        Assert.True(RelativeDifference(inverseSqrt.matmul(c64).matmul(inverseSqrt), eye(10, dtype: ScalarType.Float64)) < 1e-9);
    }

    [Fact]
    public void On_a_singular_matrix_the_inverse_root_is_a_pseudo_inverse_and_reports_the_clamp()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 2, heads: 1, keyValueHeads: 1, headDim: 2);
        var b = problem.Gaussian(10, 6);
        var c = b.matmul(b.transpose(0, 1));

        var inverseSqrt = SymmetricMatrixFunctions.InverseSqrt(c, out var clamp);
        var pseudoInverse = SymmetricMatrixFunctions.PseudoInverse(c, out _);
        var sqrt = SymmetricMatrixFunctions.Sqrt(c, out _);

        Assert.Equal(4, clamp.ClampedEigenvalues);
        Assert.True(clamp.AnyClamped);
        Assert.True(clamp.Threshold > 0 && clamp.Threshold < 1e-6 * clamp.LargestEigenvalue);
        var square = inverseSqrt.matmul(inverseSqrt);
        Assert.True(RelativeDifference(square, linalg.pinv(c, rtol: 1e-10, hermitian: true)) < 1e-8);
        Assert.True(RelativeDifference(c.matmul(square).matmul(c), c) < 1e-10);
        Assert.True(RelativeDifference(square.matmul(c).matmul(square), square) < 1e-9);
        Assert.True(RelativeDifference(pseudoInverse, square) < 1e-9);
        Assert.True(RelativeDifference(sqrt.matmul(sqrt), c) < 1e-12);

        // The null space of C (orthogonal to B's columns) maps to zero instead of blowing up.
        var (q, _) = linalg.qr(b, linalg.QRMode.Complete);
        var nullVector = q.narrow(1, 9, 1);
        Assert.True(inverseSqrt.matmul(nullVector).abs().max().item<double>() < 1e-8);
    }

    private static double RelativeDifference(Tensor actual, Tensor expected)
    {
        // pow with an explicit, disposed exponent: square() converts its 2 implicitly and leaves it to the finalizer.
        using var two = 2.ToScalar();
        return Math.Sqrt(actual.sub(expected).pow(two).sum().item<double>() / expected.pow(two).sum().item<double>());
    }
}
