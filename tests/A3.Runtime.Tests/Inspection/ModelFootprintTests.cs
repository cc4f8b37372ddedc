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
    public void Factorised_projections_count_rank_times_in_plus_out_parameters_and_twice_that_in_flops()
    {
        // Layer 2 compressed to qk = 4, v = 6, I = 100, with q_proj [32, 64] at rank 8, o_proj [64, 48] at rank 10
        // and down_proj [64, 100] at rank 16; the other projections stay dense.
        var pairs = new IReadOnlyList<int>[] { [0, 2], [1, 3], [0, 1], [2, 3] };
        var layers = ModelConfig.FullLayers(5, 4, 8, 172).ToArray();
        layers[2] = new LayerShape(QkHeadDim: 4, VHeadDim: 6, IntermediateSize: 100, pairs)
        {
            FactorizedRanks = new Dictionary<string, int> { ["q_proj"] = 8, ["o_proj"] = 10, ["down_proj"] = 16 },
        };
        var config = Stories260K(layers) with { AttentionBias = true };

        var footprint = ModelFootprint.Compute(config, 4, 16);

        long q = 8 * (64 + 32);
        long k = 16 * 64;
        long v = 24 * 64;
        long o = 10 * (48 + 64);
        long biases = 32 + 16 + 24;
        long gateUp = 2 * 100 * 64;
        long down = 16 * (100 + 64);
        Assert.Equal(q + k + v + o + biases, footprint.Layers[2].AttentionParameters);
        Assert.Equal(gateUp + down, footprint.Layers[2].MlpParameters);
        long fullLayer = (64 * 64) + (32 * 64) + (32 * 64) + (64 * 64) + (64 + 32 + 32) + (3 * 172 * 64);
        Assert.Equal((4 * fullLayer) + q + k + v + o + biases + gateUp + down, footprint.DecoderLinearParameters);
        Assert.Equal(footprint.EmbeddingParameters + footprint.DecoderLinearParameters + footprint.NormParameters, footprint.TotalParameters);
        Assert.Equal((2 * (q + k + v + o + biases + gateUp + down)) + (2 * 8 * (4 + 6) * 16), footprint.Layers[2].FlopsPerToken);
        Assert.Equal(4 * (4 + 6) * 4, footprint.Layers[2].KvCacheBytesPerToken);
    }

    [Fact]
    public void Untied_heads_and_biases_are_counted()
    {
        var tied = ModelFootprint.Compute(Stories260K(), 4, 1);
        var untiedWithBias = ModelFootprint.Compute(Stories260K() with { TieWordEmbeddings = false, AttentionBias = true }, 4, 1);

        Assert.Equal((512 * 64) + (5 * ((8 * 8) + (4 * 8) + (4 * 8))), untiedWithBias.TotalParameters - tied.TotalParameters);
    }
}
