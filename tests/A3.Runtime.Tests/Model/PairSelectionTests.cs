using A3.Runtime.Model;
using Xunit.Abstractions;

namespace A3.Runtime.Tests.Model;

public sealed class PairSelectionTests(ITestOutputHelper output)
{
    [Fact]
    public void Keeping_all_pairs_reproduces_the_full_model_exactly()
    {
        var full = TestConfigs.Full(bias: true);
        var allPairs = TestConfigs.Make(4, 2, [TestConfigs.Shape(2, [[0, 1, 2, 3], [0, 1, 2, 3]], 8, 48), TestConfigs.Shape(2, [[0, 1, 2, 3], [0, 1, 2, 3]], 8, 48)], bias: true, tied: true, scaling: null);
        Assert.False(allPairs.IsCompressed);
        var weights = RandomWeights.Create(full, seed: 21);
        var ids = ModelRunner.Tokens(seed: 3, batch: 2, length: 7, TestConfigs.Vocab);

        using var a = ModelRunner.Load(full, weights);
        using var b = ModelRunner.Load(allPairs, weights);

        Assert.Equal(ModelRunner.Flatten(ModelRunner.Logits(a, ids)), ModelRunner.Flatten(ModelRunner.Logits(b, ids)));
    }

    [Fact]
    public void Keeping_a_pair_subset_equals_the_full_model_with_the_dropped_query_and_key_rows_zeroed()
    {
        var full = TestConfigs.Full(bias: true);
        int[][][] kept = [[[0, 3], [1, 2]], [[0, 1, 3], [0, 2, 3]]];
        var subset = TestConfigs.Make(4, 2, [TestConfigs.Shape(2, kept[0], 8, 48), TestConfigs.Shape(2, kept[1], 8, 48)], bias: true, tied: true, scaling: null);
        var fullWeights = RandomWeights.Create(full, seed: 22);
        var zeroed = new Dictionary<string, (long[] Shape, float[] Data)>(fullWeights);
        var gathered = new Dictionary<string, (long[] Shape, float[] Data)>(fullWeights);
        for (var layer = 0; layer < 2; layer++)
        {
            foreach (var (projection, heads) in new[] { ("q_proj", 4), ("k_proj", 2) })
            {
                foreach (var suffix in new[] { "weight", "bias" })
                {
                    var name = $"model.layers.{layer}.self_attn.{projection}.{suffix}";
                    var (shape, data) = fullWeights[name];
                    var cols = shape.Length == 2 ? (int)shape[1] : 1;
                    zeroed[name] = (shape, ZeroDropped(data, cols, heads, kept[layer]));
                    gathered[name] = (shape.Length == 2 ? [heads * kept[layer][0].Length * 2, cols] : [heads * kept[layer][0].Length * 2], Gather(data, cols, heads, kept[layer]));
                }
            }
        }

        var ids = ModelRunner.Tokens(seed: 4, batch: 2, length: 9, TestConfigs.Vocab);
        using var zeroedModel = ModelRunner.Load(full, zeroed);
        using var subsetModel = ModelRunner.Load(subset, gathered);
        using var fullModel = ModelRunner.Load(full, fullWeights);

        var expected = ModelRunner.Flatten(ModelRunner.Logits(zeroedModel, ids)).ToArray();
        var error = ModelRunner.RelativeError(expected, ModelRunner.Flatten(ModelRunner.Logits(subsetModel, ids)));
        var change = ModelRunner.RelativeError(expected, ModelRunner.Flatten(ModelRunner.Logits(fullModel, ids)));
        output.WriteLine($"subset vs zeroed full: {error:E3}; zeroing vs untouched full (must be large): {change:E3}");
        Assert.True(error < 1e-5, $"relative error {error:E3}");
        Assert.True(change > 1e-3, "dropping pairs should change the logits, or the test proves nothing");
    }

    /// <summary>Row <c>h·dh + k</c> and <c>h·dh + k + dh/2</c> belong to original pair k of head h; query head h uses KV head h/(H/Hkv).</summary>
    private static float[] ZeroDropped(float[] data, int cols, int heads, int[][] keptPerKvHead)
    {
        var result = (float[])data.Clone();
        var group = heads / keptPerKvHead.Length;
        const int Dh = TestConfigs.HeadDim;
        for (var h = 0; h < heads; h++)
        {
            for (var k = 0; k < Dh / 2; k++)
            {
                if (!keptPerKvHead[h / group].Contains(k))
                {
                    Array.Clear(result, ((h * Dh) + k) * cols, cols);
                    Array.Clear(result, ((h * Dh) + k + (Dh / 2)) * cols, cols);
                }
            }
        }

        return result;
    }

    private static float[] Gather(float[] data, int cols, int heads, int[][] keptPerKvHead)
    {
        var group = heads / keptPerKvHead.Length;
        var half = keptPerKvHead[0].Length;
        const int Dh = TestConfigs.HeadDim;
        var result = new float[heads * half * 2 * cols];
        for (var h = 0; h < heads; h++)
        {
            for (var m = 0; m < half; m++)
            {
                var k = keptPerKvHead[h / group][m];
                Array.Copy(data, ((h * Dh) + k) * cols, result, ((h * half * 2) + m) * cols, cols);
                Array.Copy(data, ((h * Dh) + k + (Dh / 2)) * cols, result, ((h * half * 2) + m + half) * cols, cols);
            }
        }

        return result;
    }
}
