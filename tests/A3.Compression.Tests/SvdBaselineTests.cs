using A3.Runtime;
using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

public sealed class SvdBaselineTests(ITestOutputHelper output)
{
    [Fact]
    public void Truncation_error_is_the_discarded_spectrum_and_no_random_factorisation_beats_it()
    {
        var random = new Random(31);
        using var weight = SolverData.Gaussian(random, 20, 30);
        const int rank = 7;
        using var factors = SvdBaseline.Factorize(weight, rank);
        Assert.Equal([7L, 30L], factors.A.shape);
        Assert.Equal([20L, 7L], factors.B.shape);
        Assert.Equal(7, factors.Rank);
        Assert.Equal(0, factors.Shift);
        Assert.Equal(20, factors.SingularValues.Count);
        using var product = factors.B.matmul(factors.A);
        var error = SolverData.SquaredDistance(weight, product);
        var discarded = factors.SingularValues.Skip(rank).Sum(s => s * s);
        Assert.True(Math.Abs(error - discarded) <= 1e-10 * discarded, $"error {error} vs discarded {discarded}");
        Assert.True(Math.Abs(factors.RelativeError - (error / SolverData.SquaredNorm(weight))) <= 1e-10);

        for (var trial = 0; trial < 50; trial++)
        {
            // The best B for a random A (least squares) is the strongest random competitor.
            using var a = SolverData.Gaussian(random, rank, 30);
            using var gram = a.matmul(a.t());
            using var b = torch.linalg.solve(gram, a.matmul(weight.t())).t();
            using var competitor = b.matmul(a);
            Assert.True(SolverData.SquaredDistance(weight, competitor) >= error);
        }

        output.WriteLine($"20×30 Gaussian, rank 7: ||W − BA||² = {error:G6}, Σ discarded σ² = {discarded:G6}, relative {factors.RelativeError:G4}");
    }

    [Fact]
    public void Factors_split_the_singular_values_evenly()
    {
        var random = new Random(32);
        using var weight = SolverData.Gaussian(random, 9, 5);
        using var factors = SvdBaseline.Factorize(weight, 5);
        using var aGram = factors.A.matmul(factors.A.t());
        using var bGram = factors.B.t().matmul(factors.B);
        Assert.True(SolverData.SquaredDistance(aGram, bGram) < 1e-20 * SolverData.SquaredNorm(aGram));
        using var product = factors.B.matmul(factors.A);
        Assert.True(SolverData.SquaredDistance(weight, product) < 1e-24 * SolverData.SquaredNorm(weight));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvdBaseline.Factorize(weight, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => SvdBaseline.Factorize(weight, 0));
    }

    [Theory]
    [InlineData(4096, 4096, 0.2, 1638)]
    [InlineData(4096, 14336, 0.2, 2548)]
    [InlineData(14336, 4096, 0.2, 2548)]
    [InlineData(100, 100, 0.5, 25)]
    [InlineData(6, 3, 0.0, 2)]
    [InlineData(10, 10, 0.99, 1)]
    public void Rank_for_ratio_keeps_the_parameter_budget(long outFeatures, long inFeatures, double ratio, int expected)
    {
        var rank = SvdBaseline.RankForRatio(outFeatures, inFeatures, ratio);
        Assert.Equal(expected, rank);
        if (rank > 1)
        {
            Assert.True(rank * (outFeatures + inFeatures) <= (1 - ratio) * outFeatures * inFeatures + 1e-6);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Rank_for_ratio_rejects_ratios_outside_the_unit_interval(double ratio)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SvdBaseline.RankForRatio(10, 10, ratio));
        Assert.Equal("ratio", error.ParamName);
    }
}
