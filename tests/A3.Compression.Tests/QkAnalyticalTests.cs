using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

public sealed class QkAnalyticalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(4, 2, false)]
    [InlineData(4, 2, true)]
    [InlineData(4, 1, true)]
    public void The_error_is_the_full_score_objective_and_the_discarded_spectrum(int heads, int keyValueHeads, bool bias)
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 100 + heads + keyValueHeads, heads, keyValueHeads, headDim: 8, bias: bias);
        const int rank = 3;

        using var solution = Solve(problem, rank);
        var full = FullObjective(problem, solution.Weights.Query, solution.Weights.Key, solution.Weights.QueryBias, solution.Weights.KeyBias, rank);
        var discarded = solution.SingularValuesPerKeyValueHead.Sum(s => s.Skip(rank).Sum(v => v * v));
        var total = solution.SingularValuesPerKeyValueHead.Sum(s => s.Sum(v => v * v));
        var original = OriginalObjective(problem);
        output.WriteLine($"H={heads} Hkv={keyValueHeads} bias={bias}: full {full:E6}, discarded {discarded:E6}, relative {solution.RelativeError:F6}");

        Assert.Equal(1.0, full / discarded, 9);
        Assert.Equal(1.0, original / total, 9);
        Assert.Equal(discarded / total, solution.RelativeError, 12);
        Assert.Equal(solution.RelativeError, solution.RelativeErrorFor(rank), 15);
        Assert.Equal(0.0, solution.RelativeErrorFor(8), 12);
        Assert.False(solution.Clamp.AnyClamped);
    }

    [Fact]
    public void The_whitened_shortcut_equals_the_full_objective_for_any_factor_pair()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 7, heads: 1, keyValueHeads: 1, headDim: 8);
        var cq = problem.QueryStatistics()[0];
        var ck = problem.KeyStatistics()[0];
        var querySqrt = SymmetricMatrixFunctions.Sqrt(cq, out _);
        var keySqrt = SymmetricMatrixFunctions.Sqrt(ck, out _);
        for (var trial = 0; trial < 5; trial++)
        {
            var a = problem.Gaussian(8, 3);
            var b = problem.Gaussian(8, 3);
            var shortcut = AttentionProblem.SquaredNorm(querySqrt.matmul(eye(8, dtype: ScalarType.Float64).sub(a.matmul(b.transpose(0, 1)))).matmul(keySqrt));

            // W_q' = W_q A as [out, in] rows is Aᵀ W_qᵀ.
            var full = FullObjective(problem, a.transpose(0, 1).matmul(problem.Query), b.transpose(0, 1).matmul(problem.Key), null, null, 3);
            Assert.Equal(1.0, shortcut / full, 9);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    public void No_random_or_perturbed_factor_pair_beats_the_solution(int heads, int keyValueHeads)
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 31, heads, keyValueHeads, headDim: 8);
        const int rank = 3;
        using var solution = Solve(problem, rank);
        var best = FullObjective(problem, solution.Weights.Query, solution.Weights.Key, null, null, rank);
        var worstMargin = double.MaxValue;
        for (var trial = 0; trial < 100; trial++)
        {
            var query = problem.Gaussian(heads * rank, problem.Model);
            var key = problem.Gaussian(keyValueHeads * rank, problem.Model);
            Assert.True(FullObjective(problem, query, key, null, null, rank) > best);

            // Small perturbations probe the neighbourhood, where a wrong optimum would show.
            using var small = 1e-3.ToScalar();
            using var one = 1.ToScalar();
            var nearQuery = solution.Weights.Query.add(problem.Gaussian(heads * rank, problem.Model).mul(small).mul(solution.Weights.Query.abs().mean()), one);
            var nearKey = solution.Weights.Key.add(problem.Gaussian(keyValueHeads * rank, problem.Model).mul(small).mul(solution.Weights.Key.abs().mean()), one);
            var near = FullObjective(problem, nearQuery, nearKey, null, null, rank);
            worstMargin = Math.Min(worstMargin, near / best - 1);
            Assert.True(near >= best * (1 - 1e-12), $"perturbed {near} < optimum {best}");
        }

        output.WriteLine($"optimum {best:E6}; smallest relative excess of a perturbation {worstMargin:E3}");
    }

    [Fact]
    public void The_stacked_group_solution_beats_solving_heads_separately_and_averaging_the_key()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 57, heads: 4, keyValueHeads: 1, headDim: 8);
        const int rank = 3;
        using var solution = Solve(problem, rank);
        var stacked = FullObjective(problem, solution.Weights.Query, solution.Weights.Key, null, null, rank);

        var cq = problem.QueryStatistics();
        var ck = problem.KeyStatistics()[0];
        var keySqrt = SymmetricMatrixFunctions.Sqrt(ck, out _);
        var keyInverseSqrt = SymmetricMatrixFunctions.InverseSqrt(ck, out _);
        var queryMaps = new Tensor[problem.Heads];
        var keyMaps = new Tensor[problem.Heads];
        for (var h = 0; h < problem.Heads; h++)
        {
            var querySqrt = SymmetricMatrixFunctions.Sqrt(cq[h], out _);
            var (u, sigma, vh) = linalg.svd(querySqrt.matmul(keySqrt), fullMatrices: false);
            var root = sigma.narrow(0, 0, rank).sqrt();
            queryMaps[h] = SymmetricMatrixFunctions.InverseSqrt(cq[h], out _).matmul(u.narrow(1, 0, rank)).mul(root);
            keyMaps[h] = keyInverseSqrt.matmul(vh.narrow(0, 0, rank).transpose(0, 1)).mul(root);
        }

        var averagedKey = stack(keyMaps).mean([0]);
        var averaged = FullObjective(problem, QueryRows(problem, queryMaps), averagedKey.transpose(0, 1).matmul(problem.Key), null, null, rank);

        // Even with each query side refit optimally to the averaged key, A = C_k B (Bᵀ C_k B)⁻¹.
        var refitQuery = ck.matmul(averagedKey).matmul(linalg.inv(averagedKey.transpose(0, 1).matmul(ck).matmul(averagedKey)));
        var refit = FullObjective(problem, QueryRows(problem, Enumerable.Repeat(refitQuery, problem.Heads).ToArray()), averagedKey.transpose(0, 1).matmul(problem.Key), null, null, rank);
        output.WriteLine($"stacked {stacked:E6}, per-head averaged K {averaged:E6}, averaged K with refit Q {refit:E6}");

        Assert.True(stacked < averaged);
        Assert.True(stacked <= refit * (1 + 1e-12));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Full_rank_reproduces_every_score(bool bias)
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 3, heads: 4, keyValueHeads: 2, headDim: 8, bias: bias);
        using var solution = Solve(problem, 8);
        var q = problem.Project(problem.Query, problem.QueryBias);
        var k = problem.Project(problem.Key, problem.KeyBias);
        var q2 = problem.Project(solution.Weights.Query, solution.Weights.QueryBias);
        var k2 = problem.Project(solution.Weights.Key, solution.Weights.KeyBias);
        for (var h = 0; h < problem.Heads; h++)
        {
            var j = h / problem.GroupSize;
            var scores = q.narrow(1, h * 8, 8).matmul(k.narrow(1, j * 8, 8).transpose(0, 1));
            var compressed = q2.narrow(1, h * 8, 8).matmul(k2.narrow(1, j * 8, 8).transpose(0, 1));
            var relative = Math.Sqrt(AttentionProblem.SquaredNorm(scores.sub(compressed)) / AttentionProblem.SquaredNorm(scores));
            Assert.True(relative < 1e-10, $"head {h}: relative score error {relative}");
        }
    }

    private static QkAnalyticalSolution Solve(AttentionProblem problem, int rank) =>
        QkAnalytical.Solve(problem.Query, problem.Key, problem.QueryBias, problem.KeyBias, problem.QueryStatistics(), problem.KeyStatistics(), rank);

    private static Tensor QueryRows(AttentionProblem problem, Tensor[] maps) =>
        cat(maps.Select((map, h) => map.transpose(0, 1).matmul(problem.Query.narrow(0, h * problem.HeadDim, problem.HeadDim))).ToArray(), 0);

    private static double OriginalObjective(AttentionProblem problem)
    {
        using var scope = NewDisposeScope();
        var zeroQuery = zeros(problem.Heads, problem.Model, dtype: ScalarType.Float64);
        var zeroKey = zeros(problem.KeyValueHeads, problem.Model, dtype: ScalarType.Float64);
        var zeroQueryBias = problem.QueryBias is null ? null : zeros(problem.Heads, dtype: ScalarType.Float64);
        var zeroKeyBias = problem.KeyBias is null ? null : zeros(problem.KeyValueHeads, dtype: ScalarType.Float64);
        return FullObjective(problem, zeroQuery, zeroKey, zeroQueryBias, zeroKeyBias, 1);
    }

    /// <summary>
    /// Σ_h ‖R^{1/2}(W̃_q^h W̃_k^{jᵀ} − W̃_q'^h W̃_k'^{jᵀ})R^{1/2}‖² = Σ_h tr(Dᵀ R D R) over the
    /// bias-augmented input x̃ = [x; 1] and weights W̃ = [W; b], with R = E[x̃ x̃ᵀ].
    /// </summary>
    private static double FullObjective(AttentionProblem problem, Tensor query, Tensor key, Tensor? queryBias, Tensor? keyBias, int rank)
    {
        using var scope = NewDisposeScope();
        var dh = problem.HeadDim;
        var augmented = cat([problem.Inputs, ones(problem.Tokens, 1, dtype: ScalarType.Float64)], 1);
        var r = AttentionProblem.Scale(augmented.transpose(0, 1).matmul(augmented), 1.0 / problem.Tokens);
        var originalQuery = Augment(problem.Query, problem.QueryBias);
        var originalKey = Augment(problem.Key, problem.KeyBias);
        var newQuery = Augment(query, queryBias);
        var newKey = Augment(key, keyBias);
        double sum = 0;
        for (var h = 0; h < problem.Heads; h++)
        {
            var j = h / problem.GroupSize;
            var original = originalQuery.narrow(0, h * dh, dh).transpose(0, 1).matmul(originalKey.narrow(0, j * dh, dh));
            var compressed = newQuery.narrow(0, h * rank, rank).transpose(0, 1).matmul(newKey.narrow(0, j * rank, rank));
            var d = original.sub(compressed);
            sum += d.transpose(0, 1).matmul(r).matmul(d).matmul(r).trace().item<double>();
        }

        return sum;
    }

    private static Tensor Augment(Tensor weight, Tensor? bias) =>
        cat([weight, bias is null ? zeros(weight.shape[0], 1, dtype: ScalarType.Float64) : bias.unsqueeze(1)], 1);
}
