using System.Diagnostics;
using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

public sealed class MlpCurTests(ITestOutputHelper output)
{
    private static readonly MlpSelector[] Selectors = [MlpSelector.Importance, MlpSelector.PivotedCholesky];

    /// <summary>
    /// Prefix errors are <c>remaining / total</c> with <c>remaining</c> a running difference, so they carry an absolute
    /// rounding of about <c>steps·ε</c>; the two eliminations group their sums differently and agree to that plus 1e-10
    /// relative.
    /// </summary>
    private const double RelativeTolerance = 1e-10;

    private const double AbsoluteTolerance = 1e-12;

    /// <summary>
    /// Below this fraction of the output energy left, every remaining residual is rounding noise and the pivots among
    /// them (dependent ones, or copies of kept neurons) are arbitrary in both eliminations: their order is not compared,
    /// only that the blocked curve is also down there.
    /// </summary>
    private const double ExplainedFloor = 1e-11;

    public static TheoryData<int, int, int, int> RandomCases => new()
    {
        // size, outputs, count, block size: sizes not multiples of the panel, counts below, at and past one panel, all.
        { 40, 12, 40, 16 },
        { 40, 12, 7, 16 },
        { 40, 12, 16, 16 },
        { 40, 12, 33, 16 },
        { 150, 30, 150, BlockedNeuronElimination.DefaultBlockSize },
        { 150, 30, 65, BlockedNeuronElimination.DefaultBlockSize },
        { 150, 30, 20, BlockedNeuronElimination.DefaultBlockSize },
        { 97, 200, 97, 1 },
        { 97, 10, 60, 200 },
    };

    [Fact]
    public void Refit_is_never_worse_than_plain_pruning_of_the_same_neurons()
    {
        using var mlp = MlpFixture.Random(seed: 1);
        var random = new Random(11);
        var subsets = new List<long[]>();
        foreach (var keep in new[] { 1, 5, 10, 20, 39 })
        {
            subsets.AddRange(Selectors.Select(selector => MlpCur.Select(mlp.Intermediate, mlp.Down, keep, selector)));
            subsets.AddRange(Enumerable.Range(0, 4).Select(_ => SolverData.RandomSubset(random, (int)mlp.Size, keep)));
        }

        foreach (var kept in subsets)
        {
            using var refit = MlpCur.RefitDown(mlp.Intermediate, mlp.Down, kept, MlpCur.DefaultRelativeRidge, out _);
            var refitError = mlp.DataError(kept, refit);
            var prunedError = mlp.PrunedError(kept);
            Assert.True(refitError <= prunedError * (1 + 1e-10), $"k={kept.Length}: refit {refitError} > pruned {prunedError}");
        }

        var ten = MlpCur.Select(mlp.Intermediate, mlp.Down, 10, MlpSelector.PivotedCholesky);
        using var tenRefit = MlpCur.RefitDown(mlp.Intermediate, mlp.Down, ten, MlpCur.DefaultRelativeRidge, out _);
        output.WriteLine($"k=10 of 40, pivoted Cholesky: pruned {mlp.PrunedError(ten):G6}, refit {mlp.DataError(ten, tenRefit):G6}");
    }

    [Fact]
    public void Closed_form_error_equals_the_error_measured_on_the_data()
    {
        using var mlp = MlpFixture.Random(seed: 2);
        var random = new Random(12);
        foreach (var keep in new[] { 1, 4, 12, 25, 39 })
        {
            foreach (var kept in Selectors.Select(s => MlpCur.Select(mlp.Intermediate, mlp.Down, keep, s)).Append(SolverData.RandomSubset(random, (int)mlp.Size, keep)))
            {
                using var exact = MlpCur.RefitDown(mlp.Intermediate, mlp.Down, kept, 0, out var ridge);
                Assert.Equal(0, ridge);
                var measured = mlp.DataError(kept, exact);
                var closedForm = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, kept);
                Assert.True(Math.Abs(closedForm - measured) <= 1e-8 * measured, $"k={keep}: closed form {closedForm} vs data {measured}");
            }

            foreach (var selector in Selectors)
            {
                using var result = MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, keep, selector);
                var measured = mlp.DataError(result.Kept, result.Down);
                Assert.True(result.Ridge > 0);
                Assert.True(Math.Abs(result.RelativeError - measured) <= 1e-8 * measured, $"k={keep} {selector}: reported {result.RelativeError} vs data {measured}");
            }
        }
    }

    [Fact]
    public void A_refit_of_given_neurons_with_the_output_energy_supplied_reports_the_error_measured_on_the_data()
    {
        using var mlp = MlpFixture.Random(seed: 3);
        var energy = BlockedNeuronElimination.OutputEnergy(mlp.Intermediate.to(torch.float64), mlp.Down.to(torch.float64), CancellationToken.None);
        var ranking = MlpCur.Rank(mlp.Intermediate, mlp.Down, (int)mlp.Size, MlpSelector.PivotedCholesky);
        foreach (var keep in new[] { 1, 7, 20, 39 })
        {
            using var supplied = MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, ranking.Kept(keep), outputEnergy: energy);
            using var computed = MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, ranking.Kept(keep));

            var measured = mlp.DataError(supplied.Kept, supplied.Down);
            Assert.True(Math.Abs(supplied.RelativeError - measured) <= 1e-8 * measured, $"k={keep}: reported {supplied.RelativeError} vs data {measured}");
            Assert.Equal(computed.RelativeError, supplied.RelativeError, 12);
        }
    }

    [Fact]
    public void Compress_keeps_the_selected_rows_and_checks_its_arguments()
    {
        using var mlp = MlpFixture.Random(seed: 3);
        using var result = MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, 9, MlpSelector.PivotedCholesky);
        Assert.Equal(result.Kept.Order(), result.Kept);
        Assert.Equal(9, result.Kept.Distinct().Count());
        Assert.Equal([9L, 12L], result.Gate.shape);
        Assert.Equal([9L, 12L], result.Up.shape);
        Assert.Equal([12L, 9L], result.Down.shape);
        for (var j = 0; j < 9; j++)
        {
            Assert.Equal(0, SolverData.SquaredDistance(result.Gate[j], mlp.Gate[result.Kept[j]]));
            Assert.Equal(0, SolverData.SquaredDistance(result.Up[j], mlp.Up[result.Kept[j]]));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, 0, MlpSelector.Importance));
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, 41, MlpSelector.Importance));
        Assert.Throws<ArgumentException>(() => MlpCur.RelativeError(mlp.Intermediate, mlp.Down, [3, 3]));
        Assert.Throws<ArgumentException>(() => MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down.t(), mlp.Intermediate, 5, MlpSelector.Importance));
    }

    [Fact]
    public void Keeping_every_neuron_reproduces_the_mlp_exactly()
    {
        using var mlp = MlpFixture.Random(seed: 4);
        foreach (var selector in Selectors)
        {
            using var result = MlpCur.Compress(mlp.Gate, mlp.Up, mlp.Down, mlp.Intermediate, (int)mlp.Size, selector);
            Assert.Equal(Enumerable.Range(0, (int)mlp.Size).Select(i => (long)i), result.Kept);
            Assert.Equal(0, SolverData.SquaredDistance(result.Gate, mlp.Gate));
            Assert.Equal(0, SolverData.SquaredDistance(result.Up, mlp.Up));
            Assert.Equal(0, SolverData.SquaredDistance(result.Down, mlp.Down));
            Assert.Equal(0, result.RelativeError);
        }

        var all = Enumerable.Range(0, (int)mlp.Size).Select(i => (long)i).ToArray();
        using var refit = MlpCur.RefitDown(mlp.Intermediate, mlp.Down, all, 0, out _);
        Assert.True(SolverData.SquaredDistance(refit, mlp.Down) <= 1e-16 * SolverData.SquaredNorm(mlp.Down));
        Assert.True(MlpCur.RelativeError(mlp.Intermediate, mlp.Down, all) < 1e-12);
    }

    [Fact]
    public void Pivoted_cholesky_beats_the_median_random_subset()
    {
        using var mlp = MlpFixture.Random(seed: 5);
        var random = new Random(15);
        foreach (var keep in new[] { 4, 10, 20, 30 })
        {
            var pivoted = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, MlpCur.Select(mlp.Intermediate, mlp.Down, keep, MlpSelector.PivotedCholesky));
            var importance = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, MlpCur.Select(mlp.Intermediate, mlp.Down, keep, MlpSelector.Importance));
            var median = SolverData.Median(Enumerable.Range(0, 50).Select(_ => MlpCur.RelativeError(mlp.Intermediate, mlp.Down, SolverData.RandomSubset(random, (int)mlp.Size, keep))));
            output.WriteLine($"k={keep}/40: pivoted Cholesky {pivoted:G4}, importance {importance:G4}, median of 50 random {median:G4}");
            Assert.True(pivoted < median, $"k={keep}: pivoted {pivoted} not below random median {median}");
        }
    }

    [Fact]
    public void Pivoted_cholesky_skips_copies_that_importance_keeps()
    {
        const int copies = 6;
        using var mlp = MlpFixture.WithCopies(seed: 6, copies);
        var importance = MlpCur.Select(mlp.Intermediate, mlp.Down, copies, MlpSelector.Importance);
        var pivoted = MlpCur.Select(mlp.Intermediate, mlp.Down, copies, MlpSelector.PivotedCholesky);
        output.WriteLine($"importance keeps [{string.Join(", ", importance)}], pivoted Cholesky keeps [{string.Join(", ", pivoted)}]");
        Assert.Equal(Enumerable.Range(0, copies).Select(i => (long)i), importance);
        Assert.Equal([0L], pivoted.Where(i => i < copies));
        var importanceError = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, importance);
        var pivotedError = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, pivoted);
        output.WriteLine($"{copies} copies of neuron 0, keep {copies}: importance {importanceError:G4}, pivoted Cholesky {pivotedError:G4}");
        Assert.True(pivotedError < importanceError);
    }

    [Fact]
    public void Error_curves_equal_the_explicit_error_of_every_prefix()
    {
        using var mlp = MlpFixture.Random(seed: 7);
        var size = (int)mlp.Size;
        var random = new Random(17);
        var permutation = Enumerable.Range(0, size).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
        var curves = Selectors.Select(s => (Name: s.ToString(), Ranking: MlpCur.Rank(mlp.Intermediate, mlp.Down, size, s)))
            .Append(("RandomOrder", new MlpNeuronRanking(permutation, MlpCur.PrefixErrors(mlp.Intermediate, mlp.Down, permutation))));
        foreach (var (name, ranking) in curves)
        {
            Assert.Equal(size + 1, ranking.PrefixErrors.Count);
            Assert.Equal(1, ranking.PrefixErrors[0]);
            for (var k = 1; k <= size; k++)
            {
                Assert.True(ranking.PrefixErrors[k] <= ranking.PrefixErrors[k - 1] + 1e-12, $"{name}: curve rises at k={k}");
            }

            foreach (var k in new[] { 1, 3, 7, 15, 30, 39, 40 })
            {
                var explicitError = MlpCur.RelativeError(mlp.Intermediate, mlp.Down, ranking.Kept(k));
                Assert.True(Math.Abs(ranking.PrefixErrors[k] - explicitError) <= (1e-8 * explicitError) + 1e-12, $"{name} k={k}: curve {ranking.PrefixErrors[k]} vs explicit {explicitError}");
            }
        }

        var pivotedRanking = MlpCur.Rank(mlp.Intermediate, mlp.Down, 12, MlpSelector.PivotedCholesky);
        Assert.Equal(MlpCur.Select(mlp.Intermediate, mlp.Down, 12, MlpSelector.PivotedCholesky), pivotedRanking.Kept(12));
        Assert.Equal(MlpCur.Select(mlp.Intermediate, mlp.Down, 12, MlpSelector.Importance), MlpCur.Rank(mlp.Intermediate, mlp.Down, 12, MlpSelector.Importance).Kept(12));
    }

    [Fact]
    public void Float32_weights_come_back_in_float32()
    {
        using var mlp = MlpFixture.Random(seed: 8);
        using var gate = mlp.Gate.to(torch.float32);
        using var up = mlp.Up.to(torch.float32);
        using var down = mlp.Down.to(torch.float32);
        using var result = MlpCur.Compress(gate, up, down, mlp.Intermediate, 16, MlpSelector.PivotedCholesky);
        Assert.Equal(torch.float32, result.Gate.dtype);
        Assert.Equal(torch.float32, result.Down.dtype);
        Assert.False(gate.IsInvalid);
        Assert.Equal(torch.float32, down.dtype);
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Pivoting_equals_the_unblocked_elimination(int size, int outputs, int count, int blockSize)
    {
        var random = new Random(1000 + size + count + blockSize);
        using var intermediate = Autocorrelation(random, tokens: 4 * size, rank: size, size);
        using var down = ScaledDown(random, outputs, size);
        var reference = UnblockedNeuronElimination.Eliminate(intermediate, down, null, count);
        var blocked = BlockedNeuronElimination.Eliminate(intermediate, down, null, count, CancellationToken.None, blockSize);
        AssertSameElimination(reference, blocked, $"I={size} k={count} nb={blockSize}");
        Assert.Equal(reference.Order, blocked.Order);
        AssertEndMatchesRelativeError(intermediate, down, blocked);
    }

    [Theory]
    [InlineData(100, 30, 100, 16)]
    [InlineData(100, 30, 45, 64)]
    public void Rank_deficient_statistics_place_dependent_pivots_without_columns(int size, int rank, int count, int blockSize)
    {
        var random = new Random(2000 + size + count);
        using var intermediate = Autocorrelation(random, tokens: 3 * size, rank, size);
        using var down = ScaledDown(random, 20, size);
        var reference = UnblockedNeuronElimination.Eliminate(intermediate, down, null, count);
        var blocked = BlockedNeuronElimination.Eliminate(intermediate, down, null, count, CancellationToken.None, blockSize);
        AssertSameElimination(reference, blocked, $"rank {rank} of {size}");

        // Past the rank every pivot is dependent: placed, no decrease, so the curve is flat there at (rounding) zero.
        Assert.All(Enumerable.Range(rank + 1, count - rank), k => Assert.Equal(blocked.PrefixErrors[rank + 1], blocked.PrefixErrors[k]));
        Assert.True(blocked.PrefixErrors[rank] <= ExplainedFloor, $"rank {rank}: {blocked.PrefixErrors[rank]} left after the rank");
        AssertEndMatchesRelativeError(intermediate, down, blocked);
    }

    [Fact]
    public void Fixed_orders_are_kept_and_their_errors_equal_the_unblocked_ones()
    {
        var random = new Random(3000);
        const int size = 90;
        using var full = Autocorrelation(random, tokens: 400, rank: size, size);
        using var deficient = Autocorrelation(random, tokens: 400, rank: 25, size);
        using var down = ScaledDown(random, 16, size);
        var permutation = Enumerable.Range(0, size).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
        foreach (var (name, intermediate) in new[] { ("full rank", full), ("rank 25", deficient) })
        {
            foreach (var (count, blockSize) in new[] { (size, 16), (size, 64), (37, 16), (5, 64) })
            {
                var order = permutation.Take(count).ToArray();
                var reference = UnblockedNeuronElimination.Eliminate(intermediate, down, order, count);
                var blocked = BlockedNeuronElimination.Eliminate(intermediate, down, order, count, CancellationToken.None, blockSize);
                Assert.Equal(order, blocked.Order);
                AssertSameElimination(reference, blocked, $"{name} fixed k={count} nb={blockSize}");
                AssertEndMatchesRelativeError(intermediate, down, blocked);
            }
        }

        // The public entry points with a fixed order: PrefixErrors and the importance ranking.
        var curve = MlpCur.PrefixErrors(full, down, permutation);
        AssertClose(UnblockedNeuronElimination.Eliminate(full, down, permutation, size).PrefixErrors, curve, "PrefixErrors");
    }

    [Fact]
    public void Copies_tie_to_the_lowest_index_and_are_then_dependent()
    {
        using var mlp = MlpFixture.WithCopies(seed: 6, copies: 6);
        var size = (int)mlp.Size;
        var reference = UnblockedNeuronElimination.Eliminate(mlp.Intermediate, mlp.Down, null, size);
        var blocked = BlockedNeuronElimination.Eliminate(mlp.Intermediate, mlp.Down, null, size, CancellationToken.None, blockSize: 8);
        Assert.Equal(0, blocked.Order[0]);
        AssertSameElimination(reference, blocked, "copies");
        var ranked = MlpCur.Rank(mlp.Intermediate, mlp.Down, size, MlpSelector.PivotedCholesky);
        AssertSameElimination(reference, ranked, "copies via Rank");
    }

    /// <summary>
    /// At Llama-3-8B's intermediate width with a cheap low-rank-plus-diagonal <c>C</c> (the cost of an elimination
    /// does not depend on what <c>C</c> holds) and a narrow down_proj, so the <c>d·I²</c> output energy stays small.
    /// </summary>
    [Fact]
    public void Real_width_pivoting_equals_the_unblocked_elimination()
    {
        const int size = 14336;
        const int count = 150;
        var random = new Random(4000);
        var clock = Stopwatch.StartNew();
        using var intermediate = LowRankPlusDiagonal(random, size, rank: 48);
        using var down = ScaledDown(random, 64, size);
        var built = clock.Elapsed;
        clock.Restart();
        var reference = UnblockedNeuronElimination.Eliminate(intermediate, down, null, count);
        var referenceTime = clock.Elapsed;
        clock.Restart();
        var blocked = MlpCur.Rank(intermediate, down, count, MlpSelector.PivotedCholesky);
        var blockedTime = clock.Elapsed;
        output.WriteLine($"I={size} k={count}: built in {built.TotalSeconds:F1} s, unblocked {referenceTime.TotalSeconds:F1} s, blocked {blockedTime.TotalSeconds:F1} s");
        Assert.Equal(reference.Order, blocked.Order);
        AssertClose(reference.PrefixErrors, blocked.PrefixErrors, "real width");
        AssertEndMatchesRelativeError(intermediate, down, blocked);
    }

    [Fact]
    public void A_cancelled_token_stops_the_elimination()
    {
        var random = new Random(5000);
        const int size = 3000;
        using var intermediate = LowRankPlusDiagonal(random, size, rank: 32);
        using var down = ScaledDown(random, 32, size);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MlpCur.Rank(intermediate, down, size, MlpSelector.PivotedCholesky, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => MlpCur.PrefixErrors(intermediate, down, [0, 1, 2], cancelled.Token));

        using var later = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => MlpCur.Select(intermediate, down, size, MlpSelector.PivotedCholesky, later.Token));
        output.WriteLine($"cancelled after 200 ms, stopped at {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(BlockedNeuronElimination.EnergyRowBlock)]
    public void Output_energy_from_the_upper_triangle_equals_the_full_product(int rowBlock)
    {
        var random = new Random(7000 + rowBlock);
        using var intermediate = Autocorrelation(random, tokens: 300, rank: 50, size: 50);
        using var down = ScaledDown(random, 9, 50);
        using var product = down.matmul(intermediate);
        using var weighted = product * down;
        using var sum = weighted.sum();
        var full = sum.item<double>();
        var blocked = BlockedNeuronElimination.OutputEnergy(intermediate, down, CancellationToken.None, rowBlock);
        Assert.True(Math.Abs(blocked - full) <= 1e-13 * full, $"row block {rowBlock}: blocked {blocked:R}, full {full:R}");
    }

    /// <summary>
    /// The orders agree until the reference has explained all but <see cref="ExplainedFloor"/> of the output; the
    /// prefix errors agree everywhere.
    /// </summary>
    private static void AssertSameElimination(MlpNeuronRanking reference, MlpNeuronRanking blocked, string label)
    {
        Assert.Equal(reference.Order.Count, blocked.Order.Count);
        Assert.Equal(blocked.Order.Count, blocked.Order.Distinct().Count());
        var settled = Enumerable.Range(0, reference.Order.Count).FirstOrDefault(k => reference.PrefixErrors[k] <= ExplainedFloor, reference.Order.Count);
        Assert.Equal(reference.Order.Take(settled), blocked.Order.Take(settled));
        AssertClose(reference.PrefixErrors, blocked.PrefixErrors, label);
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string label)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.True(
                Math.Abs(expected[k] - actual[k]) <= (RelativeTolerance * expected[k]) + AbsoluteTolerance,
                $"{label} k={k}: unblocked {expected[k]:R}, blocked {actual[k]:R}");
        }
    }

    /// <summary>The curve's last point is the closed-form error of the kept set (an independent formulation).</summary>
    private static void AssertEndMatchesRelativeError(torch.Tensor intermediate, torch.Tensor down, MlpNeuronRanking ranking)
    {
        var count = ranking.Order.Count;
        var closedForm = MlpCur.RelativeError(intermediate, down, ranking.Kept(count));
        var curve = ranking.PrefixErrors[count];
        Assert.True(Math.Abs(curve - closedForm) <= (1e-8 * closedForm) + AbsoluteTolerance, $"k={count}: curve {curve:R}, closed form {closedForm:R}");
    }

    /// <summary><c>C = HᵀH/N</c> of <paramref name="tokens"/> rows of rank <paramref name="rank"/>, with varied neuron scales.</summary>
    private static torch.Tensor Autocorrelation(Random random, int tokens, int rank, int size)
    {
        using var scope = torch.NewDisposeScope();
        var mixing = SolverData.Gaussian(random, tokens, rank).matmul(SolverData.Gaussian(random, rank, size));
        var scales = torch.tensor(Enumerable.Range(0, size).Select(_ => Math.Exp((2 * random.NextDouble()) - 1)).ToArray(), torch.float64);
        return SolverData.Autocorrelation(mixing * scales).MoveToOuterDisposeScope();
    }

    /// <summary><c>A Aᵀ / rank + diag(δ)</c> with δ in [0.05, 0.15]: built in <c>O(I²·rank)</c>, full rank, no ties.</summary>
    internal static torch.Tensor LowRankPlusDiagonal(Random random, int size, int rank)
    {
        using var scope = torch.NewDisposeScope();
        var factor = SolverData.Gaussian(random, size, rank);
        using var scale = (1.0 / rank).ToScalar();
        var result = factor.matmul(factor.t()).mul_(scale);
        var diagonal = torch.tensor(Enumerable.Range(0, size).Select(_ => 0.05 + (0.1 * random.NextDouble())).ToArray(), torch.float64);
        result.diagonal().add_(diagonal);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A <c>[outputs, size]</c> down_proj whose column norms vary over about e² either way.</summary>
    internal static torch.Tensor ScaledDown(Random random, int outputs, int size)
    {
        using var scope = torch.NewDisposeScope();
        var scales = torch.tensor(Enumerable.Range(0, size).Select(_ => Math.Exp((2 * random.NextDouble()) - 1)).ToArray(), torch.float64);
        return (SolverData.Gaussian(random, outputs, size) * scales.unsqueeze(0)).MoveToOuterDisposeScope();
    }
}
