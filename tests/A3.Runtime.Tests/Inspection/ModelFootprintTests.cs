using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Runtime.Tests.Inspection;

public sealed class ModelFootprintTests
{
    /// <summary>stories260K as described by its llama2.c header (dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads, vocab 512, tied).</summary>
    private static ModelConfig Stories260K(IReadOnlyList<LayerShape>? layers = null) => new()
    {
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = 64,
        IntermediateSize = 172,
        NumLayers = 5,
        NumAttentionHeads = 8,
        NumKeyValueHeads = 4,
        VocabSize = 512,
        MaxPositionEmbeddings = 512,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        OriginalHeadDim = 8,
        AttentionScale = 1 / Math.Sqrt(8),
        TieWordEmbeddings = true,
        Layers = layers ?? ModelConfig.FullLayers(5, 4, 8, 172),
    };

    [Fact]
    public void Parameter_count_matches_the_llama2c_file_size()
    {
        // The .bin holds 264128 floats, 4096 of which are the unused legacy freq_cis tables.
        var footprint = ModelFootprint.Compute(Stories260K(), bytesPerElement: 4, context: 1);

        Assert.Equal(264128 - 4096, footprint.TotalParameters);
        Assert.Equal(512 * 64, footprint.EmbeddingParameters);
        Assert.Equal(5 * ((64 * 64 * 2) + (32 * 64 * 2) + (3 * 172 * 64)), footprint.DecoderLinearParameters);
        Assert.Equal(5 * 4 * (8 + 8) * 4, footprint.KvCacheBytesPerToken);
    }

    [Fact]
    public void Flops_grow_linearly_with_context_by_the_attention_terms()
    {
        var config = Stories260K();
        var one = ModelFootprint.Compute(config, 4, 1);
        var hundred = ModelFootprint.Compute(config, 4, 101);

        Assert.Equal((2 * one.DecoderLinearParameters) + (2 * 64 * 512) + (5 * 2 * 8 * (8 + 8)), one.FlopsPerToken);
        Assert.Equal(100L * 5 * 2 * 8 * (8 + 8), hundred.FlopsPerToken - one.FlopsPerToken);
    }

    [Fact]
    public void Compressed_layers_shrink_parameters_cache_and_flops_by_their_own_dims()
    {
        var pairs = new IReadOnlyList<int>[] { [0, 2], [1, 3], [0, 1], [2, 3] };
        var layers = ModelConfig.FullLayers(5, 4, 8, 172).ToArray();
        layers[2] = new LayerShape(QkHeadDim: 4, VHeadDim: 6, IntermediateSize: 100, pairs);
        var full = ModelFootprint.Compute(Stories260K(), 2, 16);
        var compressed = ModelFootprint.Compute(Stories260K(layers), 2, 16);

        long removedAttention = (8 * 4 * 64) + (4 * 4 * 64) + (4 * 2 * 64) + (8 * 2 * 64);
        long removedMlp = 3 * 72 * 64;
        Assert.Equal(removedAttention + removedMlp, full.DecoderLinearParameters - compressed.DecoderLinearParameters);
        Assert.Equal(4 * (4 + 2) * 2, full.KvCacheBytesPerToken - compressed.KvCacheBytesPerToken);
        Assert.Equal((2 * (removedAttention + removedMlp)) + (2 * 8 * (4 + 2) * 16), full.FlopsPerToken - compressed.FlopsPerToken);
    }

    [Fact]
    public void Untied_heads_and_biases_are_counted()
    {
        var tied = ModelFootprint.Compute(Stories260K(), 4, 1);
        var untiedWithBias = ModelFootprint.Compute(Stories260K() with { TieWordEmbeddings = false, AttentionBias = true }, 4, 1);

        Assert.Equal((512 * 64) + (5 * ((8 * 8) + (4 * 8) + (4 * 8))), untiedWithBias.TotalParameters - tied.TotalParameters);
    }
}
