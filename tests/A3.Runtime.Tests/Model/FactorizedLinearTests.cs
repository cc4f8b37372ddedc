using A3.Runtime.Model;

namespace A3.Runtime.Tests.Model;

/// <summary>
/// A factorised projection (<c>weight_a</c>, <c>weight_b</c>) must compute exactly what the dense
/// projection <c>W = B·A</c> computes; the factors are built here so the product is known.
/// </summary>
public sealed class FactorizedLinearTests
{
    private static readonly int[][] Tokens = ModelRunner.Tokens(seed: 7, batch: 2, length: 9, vocab: TestConfigs.Vocab);

    [Fact]
    public void Random_rank_three_factors_in_every_projection_match_the_dense_product()
    {
        var dense = TestConfigs.Compressed(bias: true, tied: false);
        var ranks = TensorNames.Projections.ToDictionary(name => name, _ => 3, StringComparer.Ordinal);
        var (factorizedConfig, factorizedWeights, denseWeights) = Factorize(dense, layer: 1, ranks, seed: 11);

        var expected = Logits(dense, denseWeights);
        var actual = Logits(factorizedConfig, factorizedWeights);

        Assert.True(MaxAbsDiff(expected, actual) <= 1e-5, $"max |Δlogit| = {MaxAbsDiff(expected, actual)}");

        // Guards against a vacuous pass: the factorised layer really changes the model.
        var original = Logits(dense, RandomWeights.Create(dense, seed: 11));
        Assert.True(MaxAbsDiff(expected, original) > 1e-3);
    }

    [Fact]
    public void Identity_factor_b_with_a_equal_to_w_gives_the_dense_model()
    {
        var config = TestConfigs.Full(bias: true);
        var weights = RandomWeights.Create(config, seed: 12);
        const string stem = "model.layers.1.self_attn.q_proj";
        var (shape, data) = weights[stem + ".weight"];
        var rank = (int)shape[1];
        var identity = new float[shape[0] * rank];
        for (var i = 0; i < rank; i++)
        {
            identity[(i * rank) + i] = 1f;
        }

        var factorized = new Dictionary<string, (long[] Shape, float[] Data)>(weights, StringComparer.Ordinal);
        factorized.Remove(stem + ".weight");
        factorized[stem + ".weight_a"] = ([rank, shape[1]], data);
        factorized[stem + ".weight_b"] = ([shape[0], rank], identity);
        var layers = config.Layers.ToArray();
        layers[1] = layers[1] with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = rank } };

        Assert.True(MaxAbsDiff(Logits(config, weights), Logits(config with { Layers = layers }, factorized)) <= 1e-5);
    }

    [Fact]
    public void A_missing_or_misshapen_factor_is_rejected_naming_it()
    {
        var dense = TestConfigs.Compressed();
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal) { ["down_proj"] = 4 };
        var (config, weights, _) = Factorize(dense, layer: 0, ranks, seed: 13);

        var missing = new Dictionary<string, (long[] Shape, float[] Data)>(weights, StringComparer.Ordinal);
        missing.Remove("model.layers.0.mlp.down_proj.weight_b");
        var error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, missing).Dispose());
        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains("model.layers.0.mlp.down_proj.weight_b", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 4]", error.Message, StringComparison.Ordinal);

        var misshapen = new Dictionary<string, (long[] Shape, float[] Data)>(weights, StringComparer.Ordinal)
        {
            ["model.layers.0.mlp.down_proj.weight_a"] = ([5, 40], new float[5 * 40]),
        };
        error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, misshapen).Dispose());
        Assert.Contains("model.layers.0.mlp.down_proj.weight_a", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 40]", error.Message, StringComparison.Ordinal);

        // The dense weight alone does not satisfy a factorised configuration.
        error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config, RandomWeights.Create(dense, seed: 13)).Dispose());
        Assert.Contains("model.layers.0.mlp.down_proj.weight_a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q_proj", 0)]
    [InlineData("k_proj", 13)]
    [InlineData("down_proj", 33)]
    [InlineData("lm_head", 4)]
    public void Invalid_ranks_and_projection_names_are_rejected_naming_the_layer(string projection, int rank)
    {
        // Layer 1 of the compressed config: k_proj is [12, 32], down_proj [32, 56].
        var config = TestConfigs.Compressed();
        var layers = config.Layers.ToArray();
        layers[1] = layers[1] with { FactorizedRanks = new Dictionary<string, int> { [projection] = rank } };

        var error = Assert.Throws<A3InputException>(() => ModelRunner.Load(config with { Layers = layers }, RandomWeights.Create(config, seed: 14)).Dispose());

        Assert.Equal(A3ErrorCodes.InvalidModelConfig, error.Code);
        Assert.Contains("layer 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(projection, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_shapes_compare_their_factorisations()
    {
        var shape = TestConfigs.Compressed().Layers[1];
        var factorized = shape with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = 4, ["up_proj"] = 8 } };
        var same = shape with { FactorizedRanks = new Dictionary<string, int> { ["up_proj"] = 8, ["q_proj"] = 4 } };
        var other = shape with { FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = 4, ["up_proj"] = 9 } };

        Assert.Equal(factorized, same);
        Assert.Equal(factorized.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(factorized, other);
        Assert.NotEqual(shape, factorized);
        Assert.Equal(shape, shape with { FactorizedRanks = new Dictionary<string, int>() });
        Assert.Equal(4, factorized.RankOf("q_proj"));
        Assert.Null(factorized.RankOf("k_proj"));
    }

    /// <summary>
    /// Draws random factors for the given projections of <paramref name="layer"/>; returns the factorised
    /// config and weights, and the dense weights holding <c>B·A</c> (accumulated in double) in their place.
    /// </summary>
    internal static (ModelConfig Config, Dictionary<string, (long[] Shape, float[] Data)> Factorized, Dictionary<string, (long[] Shape, float[] Data)> Dense) Factorize(
        ModelConfig config, int layer, IReadOnlyDictionary<string, int> ranks, int seed)
    {
        var factorized = RandomWeights.Create(config, seed);
        var dense = new Dictionary<string, (long[] Shape, float[] Data)>(factorized, StringComparer.Ordinal);
        var random = new Random(seed + 1000);
        foreach (var (projection, rank) in ranks)
        {
            var (rows, columns) = LinearProjections.Dimensions(config, config.Layers[layer], projection);
            var names = TensorNames.Layer(layer).Projection(projection);
            var scale = 1.2 / Math.Sqrt(rank * columns);
            var a = Enumerable.Range(0, rank * (int)columns).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var b = Enumerable.Range(0, (int)rows * rank).Select(_ => (float)(scale * ((random.NextDouble() * 2) - 1))).ToArray();
            var product = new float[rows * columns];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < rank; k++)
                    {
                        sum += (double)b[(i * rank) + k] * a[(k * columns) + j];
                    }

                    product[(i * columns) + j] = (float)sum;
                }
            }

            factorized.Remove(names.Weight);
            factorized[names.WeightA] = ([rank, columns], a);
            factorized[names.WeightB] = ([rows, rank], b);
            dense[names.Weight] = ([rows, columns], product);
        }

        var layers = config.Layers.ToArray();
        layers[layer] = layers[layer] with { FactorizedRanks = new Dictionary<string, int>(ranks, StringComparer.Ordinal) };
        return (config with { Layers = layers }, factorized, dense);
    }

    private static float[][][] Logits(ModelConfig config, IReadOnlyDictionary<string, (long[] Shape, float[] Data)> weights)
    {
        using var model = ModelRunner.Load(config, weights);
        return ModelRunner.Logits(model, Tokens);
    }

    private static double MaxAbsDiff(float[][][] a, float[][][] b) =>
        ModelRunner.Flatten(a).Zip(ModelRunner.Flatten(b)).Max(pair => Math.Abs(pair.First - pair.Second));
}
