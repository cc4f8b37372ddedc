namespace A3.Runtime.Model;

/// <summary>
/// The tensor names and shapes a configuration implies, as listed in the shape table of
/// <c>docs/FORMAT.md</c> section 2; used to reject a model before any file is written.
/// </summary>
internal static class ModelTensorShapes
{
    /// <summary>Returns every tensor name the configuration requires, with its <c>[out, in]</c> shape.</summary>
    public static IReadOnlyDictionary<string, long[]> Expected(ModelConfig config)
    {
        var d = (long)config.HiddenSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["model.embed_tokens.weight"] = [config.VocabSize, d],
            ["model.norm.weight"] = [d],
        };
        if (!config.TieWordEmbeddings)
        {
            shapes["lm_head.weight"] = [config.VocabSize, d];
        }

        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = config.Layers[i];
            var prefix = $"model.layers.{i}.";
            var queryRows = (long)config.NumAttentionHeads * layer.QkHeadDim;
            var keyRows = (long)config.NumKeyValueHeads * layer.QkHeadDim;
            var valueRows = (long)config.NumKeyValueHeads * layer.VHeadDim;
            shapes[prefix + "input_layernorm.weight"] = [d];
            shapes[prefix + "post_attention_layernorm.weight"] = [d];
            shapes[prefix + "self_attn.q_proj.weight"] = [queryRows, d];
            shapes[prefix + "self_attn.k_proj.weight"] = [keyRows, d];
            shapes[prefix + "self_attn.v_proj.weight"] = [valueRows, d];
            shapes[prefix + "self_attn.o_proj.weight"] = [d, (long)config.NumAttentionHeads * layer.VHeadDim];
            shapes[prefix + "mlp.gate_proj.weight"] = [layer.IntermediateSize, d];
            shapes[prefix + "mlp.up_proj.weight"] = [layer.IntermediateSize, d];
            shapes[prefix + "mlp.down_proj.weight"] = [d, layer.IntermediateSize];
            if (config.AttentionBias)
            {
                shapes[prefix + "self_attn.q_proj.bias"] = [queryRows];
                shapes[prefix + "self_attn.k_proj.bias"] = [keyRows];
                shapes[prefix + "self_attn.v_proj.bias"] = [valueRows];
            }
        }

        return shapes;
    }
}
