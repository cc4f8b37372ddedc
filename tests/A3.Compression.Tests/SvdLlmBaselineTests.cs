using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

public sealed class SvdLlmBaselineTests(ITestOutputHelper output)
{
    private const int Rank = 6;

    [Fact]
    public void Data_error_is_the_discarded_whitened_spectrum_and_beats_plain_svd()
    {
        var random = new Random(41);
        using var inputs = SolverData.CorrelatedInputs(random, 500, 24);
        using var weight = SolverData.Gaussian(random, 16, 24);
        using var autocorrelation = SolverData.Autocorrelation(inputs);
        using var factors = SvdLlmBaseline.Factorize(weight, autocorrelation, Rank);
        Assert.Equal(0, factors.Shift);
        Assert.Equal([6L, 24L], factors.A.shape);
        Assert.Equal([16L, 6L], factors.B.shape);

        var error = DataError(inputs, weight, factors);
        var discarded = factors.SingularValues.Skip(Rank).Sum(s => s * s) * inputs.shape[0];
        Assert.True(Math.Abs(error - discarded) <= 1e-8 * discarded, $"data error {error} vs N·Σ discarded σ² {discarded}");
        using var target = inputs.matmul(weight.t());
        Assert.True(Math.Abs(factors.RelativeError - (error / SolverData.SquaredNorm(target))) <= 1e-8 * factors.RelativeError);

        using var plain = SvdBaseline.Factorize(weight, Rank);
        var plainError = DataError(inputs, weight, plain);
        output.WriteLine($"N=500, 24→16, rank 6: SVD-LLM data error {error:G6} (relative {factors.RelativeError:G4}), plain SVD {plainError:G6}");
        Assert.True(error <= plainError);
    }

    [Fact]
    public void No_random_rank_k_factorisation_beats_it_on_the_data()
    {
        var random = new Random(42);
        using var inputs = SolverData.CorrelatedInputs(random, 400, 20);
        using var weight = SolverData.Gaussian(random, 12, 20);
        using var autocorrelation = SolverData.Autocorrelation(inputs);
        using var factors = SvdLlmBaseline.Factorize(weight, autocorrelation, Rank);
        var error = DataError(inputs, weight, factors);
        using var target = inputs.matmul(weight.t());
        for (var trial = 0; trial < 50; trial++)
        {
            // For a random A the best B on the data is a least-squares fit of X Wᵀ on X Aᵀ.
            using var a = SolverData.Gaussian(random, Rank, 20);
            using var projected = inputs.matmul(a.t());
            using var b = torch.linalg.solve(projected.t().matmul(projected), projected.t().matmul(target)).t();
            using var competitor = projected.matmul(b.t());
            Assert.True(SolverData.SquaredDistance(target, competitor) >= error * (1 - 1e-12));
        }
    }

    [Fact]
    public void Rank_deficient_inputs_take_the_shift_path_and_stay_finite()
    {
        var random = new Random(43);
        using var independent = SolverData.CorrelatedInputs(random, 300, 16);
        using var duplicated = independent.narrow(1, 3, 2);
        using var inputs = torch.cat([independent, duplicated], 1);
        using var weight = SolverData.Gaussian(random, 10, 18);
        using var autocorrelation = SolverData.Autocorrelation(inputs);
        using var factors = SvdLlmBaseline.Factorize(weight, autocorrelation, Rank);
        Assert.True(factors.Shift > 0);
        Assert.True(factors.A.isfinite().all().item<bool>());
        Assert.True(factors.B.isfinite().all().item<bool>());
        var error = DataError(inputs, weight, factors);
        using var plain = SvdBaseline.Factorize(weight, Rank);
        var plainError = DataError(inputs, weight, plain);
        output.WriteLine($"duplicated columns: shift {factors.Shift:G3} (mean diag {autocorrelation.diagonal().mean().item<double>():G3}), SVD-LLM data error {error:G6}, plain SVD {plainError:G6}");
        Assert.True(double.IsFinite(error));
        Assert.True(error <= plainError);
    }

    private static double DataError(torch.Tensor inputs, torch.Tensor weight, LowRankFactors factors)
    {
        using var target = inputs.matmul(weight.t());
        using var hidden = inputs.matmul(factors.A.t());
        using var approximation = hidden.matmul(factors.B.t());
        return SolverData.SquaredDistance(target, approximation);
    }
}
