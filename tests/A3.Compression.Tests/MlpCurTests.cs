using A3.Compression.Solvers;
using TorchSharp;
using Xunit.Abstractions;

namespace A3.Compression.Tests;

public sealed class MlpCurTests(ITestOutputHelper output)
{
    private static readonly MlpSelector[] Selectors = [MlpSelector.Importance, MlpSelector.PivotedCholesky];

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
}
