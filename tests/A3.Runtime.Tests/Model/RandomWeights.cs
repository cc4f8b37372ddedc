using A3.Runtime.Model;

namespace A3.Runtime.Tests.Model;

/// <summary>Seeded random weights for a <see cref="ModelConfig"/>, kept as host float arrays so the reference can read them.</summary>
internal static class RandomWeights
{
    public static Dictionary<string, (long[] Shape, float[] Data)> Create(ModelConfig config, int seed)
    {
        var random = new Random(seed);
        var weights = new Dictionary<string, (long[] Shape, float[] Data)>(StringComparer.Ordinal);
        var d = config.HiddenSize;

        void Matrix(string name, int rows, int cols, double scale) =>
            weights[name] = ([rows, cols], Fill(random, rows * cols, -scale, scale));

        void Vector(string name, int length, double low, double high) =>
            weights[name] = ([length], Fill(random, length, low, high));

        Matrix("model.embed_tokens.weight", config.VocabSize, d, 1.0);
        for (var i = 0; i < config.NumLayers; i++)
        {
            var shape = config.Layers[i];
            var prefix = $"model.layers.{i}.";
            var inScale = 1.5 / Math.Sqrt(d);
            Vector(prefix + "input_layernorm.weight", d, 0.8, 1.2);
            Matrix(prefix + "self_attn.q_proj.weight", config.NumAttentionHeads * shape.QkHeadDim, d, inScale);
            Matrix(prefix + "self_attn.k_proj.weight", config.NumKeyValueHeads * shape.QkHeadDim, d, inScale);
            Matrix(prefix + "self_attn.v_proj.weight", config.NumKeyValueHeads * shape.VHeadDim, d, inScale);
            Matrix(prefix + "self_attn.o_proj.weight", d, config.NumAttentionHeads * shape.VHeadDim, 1.0 / Math.Sqrt(config.NumAttentionHeads * shape.VHeadDim));
            if (config.AttentionBias)
            {
                Vector(prefix + "self_attn.q_proj.bias", config.NumAttentionHeads * shape.QkHeadDim, -0.5, 0.5);
                Vector(prefix + "self_attn.k_proj.bias", config.NumKeyValueHeads * shape.QkHeadDim, -0.5, 0.5);
                Vector(prefix + "self_attn.v_proj.bias", config.NumKeyValueHeads * shape.VHeadDim, -0.5, 0.5);
            }

            Vector(prefix + "post_attention_layernorm.weight", d, 0.8, 1.2);
            Matrix(prefix + "mlp.gate_proj.weight", shape.IntermediateSize, d, inScale);
            Matrix(prefix + "mlp.up_proj.weight", shape.IntermediateSize, d, inScale);
            Matrix(prefix + "mlp.down_proj.weight", d, shape.IntermediateSize, 1.0 / Math.Sqrt(shape.IntermediateSize));
        }

        Vector("model.norm.weight", d, 0.8, 1.2);
        if (!config.TieWordEmbeddings)
        {
            Matrix("lm_head.weight", config.VocabSize, d, 1.0 / Math.Sqrt(d));
        }

        return weights;
    }

    private static float[] Fill(Random random, int count, double low, double high)
    {
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = (float)(low + ((high - low) * random.NextDouble()));
        }

        return data;
    }
}
