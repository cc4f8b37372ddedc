using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

public sealed class OvAnalyticalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, false, ValueHeadSharing.Shared)]
    [InlineData(4, 2, false, ValueHeadSharing.Shared)]
    [InlineData(4, 2, true, ValueHeadSharing.Shared)]
    [InlineData(4, 2, true, ValueHeadSharing.FusedPerQueryHead)]
    public void The_reported_error_is_the_full_output_objective(int heads, int keyValueHeads, bool bias, ValueHeadSharing sharing)
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 200 + heads, heads, keyValueHeads, headDim: 8, bias: bias);
        const int rank = 3;
        using var solution = Solve(problem, rank, sharing);
        var (error, total) = FullObjective(problem, solution, rank);
        output.WriteLine($"H={heads} Hkv={keyValueHeads} bias={bias} {sharing}: full relative {error / total:F6}, reported {solution.RelativeError:F6}, spectrum estimate {solution.EstimatedRelativeErrorFor(rank):F6}");

        Assert.Equal(1.0, solution.RelativeError / (error / total), 8);
        if (heads == keyValueHeads || sharing == ValueHeadSharing.FusedPerQueryHead)
        {
            Assert.Equal(solution.RelativeError, solution.EstimatedRelativeErrorFor(rank), 9);
        }
    }

    [Fact]
    public void At_llama_3_8b_widths_the_reported_error_is_the_full_output_objective_and_nothing_is_clamped()
    {
        // d 4096, 32 query heads sharing 8 KV heads of 128, kept at the 20% uniform plan's 102 dims; 512 seeded
        // tokens keep each head's statistics full rank, so no eigenvalue needs a clamp.
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 8000, heads: 32, keyValueHeads: 8, headDim: 128, model: 4096, tokens: 512, bias: true);
        const int rank = 102;
        using var solution = Solve(problem, rank, ValueHeadSharing.Shared);
        var (error, total) = FullObjective(problem, solution, rank);

        Assert.Equal(1.0, solution.RelativeError / (error / total), 8);
        Assert.False(solution.Clamp.AnyClamped, $"{solution.Clamp.ClampedEigenvalues} eigenvalues clamped at {solution.Clamp.Threshold:G3}");
    }

    [Fact]
    public void A_cancelled_solve_stops_before_its_first_value_head()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 7, heads: 4, keyValueHeads: 2, headDim: 8);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => OvAnalytical.Solve(
            problem.Value, problem.Output, problem.ValueBias, problem.AttentionOutputStatistics(), problem.Heads, problem.KeyValueHeads, 3, cancellationToken: cancellation.Token));
    }

    [Fact]
    public void No_random_value_projection_with_its_own_refit_beats_the_solution_for_one_head()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 5, heads: 1, keyValueHeads: 1, headDim: 8);
        const int rank = 3;
        using var solution = Solve(problem, rank, ValueHeadSharing.Shared);
        var (best, _) = FullObjective(problem, solution, rank);
        var target = problem.HeadOutputs(problem.Value, null, problem.Output, 8, h => h)[0];
        var worstMargin = double.MaxValue;
        using var one = 1.ToScalar();
        for (var trial = 0; trial < 100; trial++)
        {
            var candidate = trial % 2 == 0
                ? problem.Gaussian(rank, problem.Model)
                : solution.Weights.Value.add(AttentionProblem.Scale(problem.Gaussian(rank, problem.Model), 1e-3 * solution.Weights.Value.abs().mean().item<double>()), one);
            var z = problem.Attention[0].matmul(problem.Inputs.matmul(candidate.transpose(0, 1)));
            var refit = linalg.lstsq(z, target).Solution;
            var error = AttentionProblem.SquaredNorm(target.sub(z.matmul(refit)));
            worstMargin = Math.Min(worstMargin, error / best - 1);
            Assert.True(error >= best * (1 - 1e-10), $"trial {trial}: {error} < optimum {best}");
        }

        output.WriteLine($"optimum {best:E6}; smallest relative excess {worstMargin:E3}");
    }

    [Fact]
    public void The_per_head_refit_is_never_worse_than_the_shared_factorisation_and_fusing_is_better_still()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 77, heads: 4, keyValueHeads: 1, headDim: 8);
        for (var rank = 1; rank < 8; rank++)
        {
            using var shared = Solve(problem, rank, ValueHeadSharing.Shared);
            using var fused = Solve(problem, rank, ValueHeadSharing.FusedPerQueryHead);
            var (refitError, total) = FullObjective(problem, shared, rank);
            var unrefit = UnrefitSharedError(problem, rank);
            output.WriteLine($"rank {rank}: shared refit {refitError / total:F6}, un-refit {unrefit / total:F6}, spectrum estimate {shared.EstimatedRelativeErrorFor(rank):F6}, fused {fused.RelativeError:F6}");

            Assert.True(refitError <= unrefit * (1 + 1e-12), $"rank {rank}: refit {refitError} > un-refit {unrefit}");
            Assert.True(fused.RelativeError <= shared.RelativeError * (1 + 1e-12));
            Assert.Equal(problem.Heads * rank, fused.Weights.Value.shape[0]);
            Assert.Equal(problem.KeyValueHeads * rank, shared.Weights.Value.shape[0]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Full_rank_reproduces_the_output(bool bias)
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 9, heads: 4, keyValueHeads: 2, headDim: 8, bias: bias);
        using var solution = Solve(problem, 8, ValueHeadSharing.Shared);
        var original = problem.HeadOutputs(problem.Value, problem.ValueBias, problem.Output, 8, h => h / problem.GroupSize);
        var compressed = problem.HeadOutputs(solution.Weights.Value, solution.Weights.ValueBias, solution.Weights.Output, 8, h => h / problem.GroupSize);
        for (var h = 0; h < problem.Heads; h++)
        {
            var relative = Math.Sqrt(AttentionProblem.SquaredNorm(original[h].sub(compressed[h])) / AttentionProblem.SquaredNorm(original[h]));
            Assert.True(relative < 1e-10, $"head {h}: relative output error {relative}");
        }

        Assert.True(solution.RelativeError < 1e-18);
    }

    private static OvAnalyticalSolution Solve(AttentionProblem problem, int rank, ValueHeadSharing sharing) =>
        OvAnalytical.Solve(problem.Value, problem.Output, problem.ValueBias, problem.AttentionOutputStatistics(), problem.Heads, problem.KeyValueHeads, rank, sharing);

    /// <summary>Σ_h ‖A_h (X W_v + b_v) W_o^h − A_h (X W_v' + b_v') W_o'^h‖² and Σ_h ‖A_h (X W_v + b_v) W_o^h‖², on the data.</summary>
    private static (double Error, double Total) FullObjective(AttentionProblem problem, OvAnalyticalSolution solution, int rank)
    {
        using var scope = NewDisposeScope();
        var fused = solution.Sharing == ValueHeadSharing.FusedPerQueryHead;
        var original = problem.HeadOutputs(problem.Value, problem.ValueBias, problem.Output, problem.HeadDim, h => h / problem.GroupSize);
        var compressed = problem.HeadOutputs(solution.Weights.Value, solution.Weights.ValueBias, solution.Weights.Output, rank, h => fused ? h : h / problem.GroupSize);
        double error = 0, total = 0;
        for (var h = 0; h < problem.Heads; h++)
        {
            error += AttentionProblem.SquaredNorm(original[h].sub(compressed[h]));
            total += AttentionProblem.SquaredNorm(original[h]);
        }

        return (error, total);
    }

    /// <summary>The shared solution without refit, <c>W_o'^h = U_rᵀ C̄^{1/2} W_o^h</c>, built independently from the method text.</summary>
    private static double UnrefitSharedError(AttentionProblem problem, int rank)
    {
        using var scope = NewDisposeScope();
        var dh = problem.HeadDim;
        var statistics = problem.AttentionOutputStatistics();
        var heads = Enumerable.Range(0, problem.Heads).ToArray();
        using var one = 1.ToScalar();
        var groupStatistics = heads.Select(h => statistics.narrow(0, h * dh, dh).narrow(1, h * dh, dh)).Aggregate((a, b) => a.add(b, one));
        var headOutputs = heads.Select(h => problem.Output.narrow(1, h * dh, dh).transpose(0, 1)).ToArray();
        var root = SymmetricMatrixFunctions.Sqrt(groupStatistics, out _);
        var (u, _, _) = linalg.svd(root.matmul(cat(headOutputs, 1)), fullMatrices: false);
        var ur = u.narrow(1, 0, rank);
        var projection = SymmetricMatrixFunctions.InverseSqrt(groupStatistics, out _).matmul(ur);
        var value = projection.transpose(0, 1).matmul(problem.Value);
        var outputRows = cat(heads.Select(h => ur.transpose(0, 1).matmul(root).matmul(headOutputs[h]).transpose(0, 1)).ToArray(), 1);
        var original = problem.HeadOutputs(problem.Value, null, problem.Output, dh, _ => 0);
        var compressed = problem.HeadOutputs(value, null, outputRows, rank, _ => 0);
        return heads.Sum(h => AttentionProblem.SquaredNorm(original[h].sub(compressed[h])));
    }
}
