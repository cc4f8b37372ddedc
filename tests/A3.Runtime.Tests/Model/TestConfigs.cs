using A3.Runtime.Model;

namespace A3.Runtime.Tests.Model;

/// <summary>Small decoder configurations: full, compressed (mixed head dims and pair subsets), GQA variants.</summary>
internal static class TestConfigs
{
    public const int Hidden = 32;
    public const int HeadDim = 8;
    public const int Vocab = 50;

    public static ModelConfig Full(int heads = 4, int keyValueHeads = 2, bool bias = false, bool tied = true, RopeScaling? scaling = null) =>
        Make(heads, keyValueHeads, ModelConfig.FullLayers(2, keyValueHeads, HeadDim, 48), bias, tied, scaling);

    /// <summary>Layer 0 keeps 2 of 4 pairs with v=6 and I=40; layer 1 keeps 3 of 4 with v=5 and I=56; each KV head keeps different pairs.</summary>
    public static ModelConfig Compressed(bool bias = false, bool tied = true) =>
        Make(4, 2, [Shape(2, [[0, 3], [1, 2]], 6, 40), Shape(2, [[0, 1, 3], [0, 2, 3]], 5, 56)], bias, tied, null);

    public static LayerShape Shape(int keyValueHeads, int[][] pairs, int vHeadDim, int intermediate)
    {
        Assert.Equal(keyValueHeads, pairs.Length);
        return new LayerShape(pairs[0].Length * 2, vHeadDim, intermediate, pairs.Select(p => (IReadOnlyList<int>)p).ToArray());
    }

    public static ModelConfig Make(int heads, int keyValueHeads, IReadOnlyList<LayerShape> layers, bool bias, bool tied, RopeScaling? scaling) => new()
    {
        Architecture = "LlamaForCausalLM",
        ModelType = bias ? "qwen2" : "llama",
        HiddenSize = Hidden,
        IntermediateSize = 48,
        NumLayers = layers.Count,
        NumAttentionHeads = heads,
        NumKeyValueHeads = keyValueHeads,
        VocabSize = Vocab,
        MaxPositionEmbeddings = 64,

        // A small base makes every pair turn visibly within the short test sequences.
        RopeTheta = 100,
        RmsNormEps = 1e-5,
        RopeScaling = scaling,
        OriginalHeadDim = HeadDim,
        AttentionScale = 1 / Math.Sqrt(HeadDim),
        TieWordEmbeddings = tied,
        AttentionBias = bias,
        Layers = layers,
    };
}
