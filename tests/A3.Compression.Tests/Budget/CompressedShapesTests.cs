using A3.Compression.Budget;
using A3.Compression.Tests.Recipes;
using A3.Runtime.Model;
using A3.Tests;

namespace A3.Compression.Tests.Budget;

/// <summary>The shapes computed from a configuration alone are the ones a real compression of stories260K writes.</summary>
public sealed class CompressedShapesTests : IDisposable
{
    private readonly RecipeRun run = new();

    public void Dispose() => run.Dispose();

    [SkippableFact]
    public void A3_uniform_shapes_are_those_of_a_uniform_compression()
    {
        var (original, compressed) = Compress("budget: 0.2\n  allocation: uniform");

        var shapes = CompressedShapes.A3Uniform(original, 0.2);

        Assert.Equal(
            compressed.Layers.Select(layer => (layer.QkHeadDim, layer.VHeadDim, layer.IntermediateSize)),
            shapes.Layers.Select(layer => (layer.QkHeadDim, layer.VHeadDim, layer.IntermediateSize)));
        Assert.All(shapes.Layers, layer => Assert.All(layer.RopePairs, pairs => Assert.Equal(layer.QkHeadDim / 2, pairs.Count)));
    }

    [SkippableFact]
    public void Low_rank_shapes_are_those_of_an_svd_llm_compression()
    {
        var (original, compressed) = Compress("method: svd-llm\n  budget: 0.2");

        var shapes = CompressedShapes.LowRank(original, 0.2);

        Assert.Equal(compressed.Layers.Count, shapes.Layers.Count);
        for (var i = 0; i < shapes.Layers.Count; i++)
        {
            Assert.Equal(compressed.Layers[i].FactorizedRanks.OrderBy(entry => entry.Key), shapes.Layers[i].FactorizedRanks.OrderBy(entry => entry.Key));
            Assert.Equal(compressed.Layers[i].IntermediateSize, shapes.Layers[i].IntermediateSize);
        }
    }

    private (ModelConfig Original, ModelConfig Compressed) Compress(string compression)
    {
        var source = Fixtures.Require("hf/stories260K-llama");
        var output = run.Output("model");
        run.Compress(run.WriteRecipe(compression), output, run.Cached);
        using var original = ModelCheckpoint.Open(source);
        using var compressed = ModelCheckpoint.Open(output);
        return (original.Config, compressed.Config);
    }
}
