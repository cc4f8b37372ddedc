using A3.Compression.Solvers;
using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

public sealed class QkRopeSelectorTests
{
    private const int HeadDim = 8;
    private const int Pairs = HeadDim / 2;

    [Fact]
    public void Keeping_every_pair_preserves_every_rotated_score()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 11, heads: 4, keyValueHeads: 2, headDim: HeadDim, bias: true);
        var selection = QkRopeSelector.Select(problem.QueryStatistics(), problem.KeyStatistics(), Pairs);
        using var weights = QkRopeSelector.Apply(problem.Query, problem.Key, problem.QueryBias, problem.KeyBias, selection);

        Assert.All(selection.PairsPerKeyValueHead, p => Assert.Equal([0, 1, 2, 3], p));
        Assert.Equal(0.0, selection.RelativeError);
        AssertScoresMatchKeptPairs(problem, selection, weights);
    }

    [Fact]
    public void A_kept_subset_reproduces_exactly_the_kept_pairs_rotated_contributions()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 12, heads: 4, keyValueHeads: 2, headDim: HeadDim, bias: true);
        var selection = QkRopeSelector.Select(problem.QueryStatistics(), problem.KeyStatistics(), 2);
        using var weights = QkRopeSelector.Apply(problem.Query, problem.Key, problem.QueryBias, problem.KeyBias, selection);

        Assert.Equal([problem.Heads * 4L, problem.Model], weights.Query.shape);
        Assert.Equal([problem.KeyValueHeads * 4L, problem.Model], weights.Key.shape);
        AssertScoresMatchKeptPairs(problem, selection, weights);
    }

    [Fact]
    public void The_selected_pairs_are_the_top_scores_and_errors_match_an_explicit_computation()
    {
        using var scope = NewDisposeScope();
        var problem = new AttentionProblem(seed: 13, heads: 6, keyValueHeads: 2, headDim: HeadDim);
        var q = problem.Project(problem.Query, null);
        var k = problem.Project(problem.Key, null);

        var scores = new double[problem.KeyValueHeads][];
        for (var j = 0; j < problem.KeyValueHeads; j++)
        {
            scores[j] = new double[Pairs];
            for (var i = 0; i < Pairs; i++)
            {
                var keyEnergy = PairEnergy(k, j, i);
                for (var h = j * problem.GroupSize; h < (j + 1) * problem.GroupSize; h++)
                {
                    scores[j][i] += PairEnergy(q, h, i) * keyEnergy;
                }
            }
        }

        var selection = QkRopeSelector.Select(problem.QueryStatistics(), problem.KeyStatistics(), 2);
        var total = scores.Sum(s => s.Sum());
        for (var j = 0; j < problem.KeyValueHeads; j++)
        {
            for (var i = 0; i < Pairs; i++)
            {
                Assert.Equal(1.0, selection.PairScoresPerKeyValueHead[j][i] / scores[j][i], 12);
            }

            var expected = Enumerable.Range(0, Pairs).OrderByDescending(i => scores[j][i]).Take(2).Order().ToArray();
            Assert.Equal(expected, selection.PairsPerKeyValueHead[j]);
        }

        for (var kept = 0; kept <= Pairs; kept++)
        {
            var dropped = scores.Sum(s => s.OrderByDescending(v => v).Skip(kept).Sum());
            Assert.Equal(dropped / total, selection.RelativeErrorFor(kept), 12);
        }

        Assert.Equal(selection.RelativeErrorFor(2), selection.RelativeError, 15);
        Assert.Equal(selection.RelativeErrorFor(3), selection.WithKeptPairs(3).RelativeError, 15);
    }

    [Fact]
    public void Ties_go_to_the_lower_pair_index()
    {
        using var scope = NewDisposeScope();
        var identity = eye(HeadDim, dtype: ScalarType.Float64);
        var selection = QkRopeSelector.Select(stack([identity, identity]), stack([identity]), 3);
        Assert.Equal([0, 1, 2], selection.PairsPerKeyValueHead[0]);
    }

    [Fact]
    public void An_out_of_range_pair_count_is_rejected()
    {
        using var scope = NewDisposeScope();
        var identity = eye(HeadDim, dtype: ScalarType.Float64).unsqueeze(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => QkRopeSelector.Select(identity, identity, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => QkRopeSelector.Select(identity, identity, Pairs + 1));
    }

    [Fact]
    public void At_llama_3_8b_widths_the_scores_pairs_and_errors_match_an_explicit_computation()
    {
        // d 4096, 32 query heads sharing 8 KV heads of 128 (64 RoPE pairs), with biases, kept at the 20% uniform
        // plan's 51 pairs; each pair's energy is recomputed in float64 from the projected activations themselves.
        using var scope = NewDisposeScope();
        const int RealHeadDim = 128;
        const int RealPairs = RealHeadDim / 2;
        const int Kept = 51;
        var problem = new AttentionProblem(seed: 8100, heads: 32, keyValueHeads: 8, headDim: RealHeadDim, model: 4096, tokens: 512, bias: true);
        var q = problem.Project(problem.Query, problem.QueryBias);
        var k = problem.Project(problem.Key, problem.KeyBias);

        var selection = QkRopeSelector.Select(problem.QueryStatistics(), problem.KeyStatistics(), Kept);

        static Tensor Energies(Tensor projected, int heads)
        {
            // [T, heads, 2, pairs]: the halves of each head are the pair's two coordinates under rotate-half RoPE.
            using var two = 2.ToScalar();
            return projected.view(projected.shape[0], heads, 2, RealPairs).pow(two).sum(2).mean([0]);
        }

        var queryEnergy = Energies(q, problem.Heads).view(problem.KeyValueHeads, problem.GroupSize, RealPairs).sum(1);
        var keyEnergy = Energies(k, problem.KeyValueHeads);
        var scores = queryEnergy.mul(keyEnergy);
        var worst = 0.0;
        var dropped = 0.0;
        for (var j = 0; j < problem.KeyValueHeads; j++)
        {
            var expected = scores[j].data<double>().ToArray();
            worst = Math.Max(worst, expected.Zip(selection.PairScoresPerKeyValueHead[j], (e, a) => Math.Abs(a / e - 1)).Max());
            Assert.Equal(Enumerable.Range(0, RealPairs).OrderByDescending(i => expected[i]).Take(Kept).Order(), selection.PairsPerKeyValueHead[j]);
            dropped += expected.OrderByDescending(v => v).Skip(Kept).Sum();
        }

        Assert.True(worst < 1e-10, $"pair scores differ by up to {worst:E3} relative");
        Assert.Equal(dropped / scores.sum().item<double>(), selection.RelativeError, 10);
    }

    private static double PairEnergy(Tensor projected, int head, int pair)
    {
        var a = projected.narrow(1, (head * HeadDim) + pair, 1);
        var b = projected.narrow(1, (head * HeadDim) + pair + Pairs, 1);

        // Explicit, disposed Scalars: square() and add(Tensor) would convert their 2 and 1 implicitly
        // and leave them to the finalizer, which can free one while the native call reads it.
        using var two = 2.ToScalar();
        using var one = 1.ToScalar();
        return a.pow(two).add(b.pow(two), one).mean().item<double>();
    }

    /// <summary>
    /// Under RoPE, the compressed head (with <c>inv_freq</c> gathered by the kept pairs) must give
    /// exactly the sum of the kept pairs' rotated contributions to the original score, at every
    /// pair of positions.
    /// </summary>
    private static void AssertScoresMatchKeptPairs(AttentionProblem problem, QkRopeSelection selection, QueryKeyWeights weights)
    {
        var keptDim = 2 * selection.KeptPairs;
        var frequencies = Enumerable.Range(0, Pairs).Select(i => Math.Pow(10000.0, -2.0 * i / HeadDim)).ToArray();
        var q = problem.Project(problem.Query, problem.QueryBias).narrow(0, 0, 6);
        var k = problem.Project(problem.Key, problem.KeyBias).narrow(0, 0, 6);
        var q2 = problem.Project(weights.Query, weights.QueryBias).narrow(0, 0, 6);
        var k2 = problem.Project(weights.Key, weights.KeyBias).narrow(0, 0, 6);
        foreach (var (queryPosition, keyPosition) in new[] { (0, 0), (5, 2), (17, 3), (100, 99), (1000, 0) })
        {
            for (var h = 0; h < problem.Heads; h++)
            {
                var j = h / problem.GroupSize;
                var kept = selection.PairsPerKeyValueHead[j];
                var keptFrequencies = kept.Select(p => frequencies[p]).ToArray();

                var originalQuery = Rope(q.narrow(1, h * HeadDim, HeadDim), frequencies, queryPosition);
                var originalKey = Rope(k.narrow(1, j * HeadDim, HeadDim), frequencies, keyPosition);
                var contributions = originalQuery.mul(originalKey);
                var keptDims = kept.Concat(kept.Select(p => p + Pairs)).Select(i => (long)i).ToArray();
                var expected = contributions.index_select(1, tensor(keptDims)).sum(1);

                var compressedQuery = Rope(q2.narrow(1, h * keptDim, keptDim), keptFrequencies, queryPosition);
                var compressedKey = Rope(k2.narrow(1, j * keptDim, keptDim), keptFrequencies, keyPosition);
                var actual = compressedQuery.mul(compressedKey).sum(1);

                var difference = actual.sub(expected).abs().max().item<double>();
                var scale = expected.abs().max().item<double>();
                Assert.True(difference <= 1e-10 * scale, $"head {h}, positions ({queryPosition}, {keyPosition}): {difference}");
            }
        }
    }

    /// <summary>Hugging Face rotate_half RoPE: pair i is dims (i, i + n/2), rotated by position·θ_i.</summary>
    private static Tensor Rope(Tensor x, double[] frequencies, int position)
    {
        var half = frequencies.Length;
        var angles = frequencies.Select(f => f * position).ToArray();
        var cos = tensor(angles.Concat(angles).Select(Math.Cos).ToArray(), ScalarType.Float64);
        var sin = tensor(angles.Concat(angles).Select(Math.Sin).ToArray(), ScalarType.Float64);
        var rotated = cat([x.narrow(1, half, half).neg(), x.narrow(1, 0, half)], 1);
        using var one = 1.ToScalar();
        return x.mul(cos).add(rotated.mul(sin), one);
    }
}
