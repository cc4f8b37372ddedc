namespace A3.Runtime.Model;

/// <summary>Checks the structural consistency of a <see cref="ModelConfig"/> before any weight is read.</summary>
internal static class ModelConfigChecks
{
    /// <summary>Throws when heads, layers, kept RoPE pairs or factorisation ranks are inconsistent.</summary>
    /// <exception cref="A3InputException">The configuration is inconsistent.</exception>
    public static void Validate(ModelConfig config)
    {
        Require(config.HiddenSize > 0 && config.VocabSize > 0 && config.NumLayers >= 0, "hidden_size and vocab_size must be positive");
        Require(
            config.NumKeyValueHeads > 0 && config.NumAttentionHeads % config.NumKeyValueHeads == 0,
            $"num_attention_heads ({config.NumAttentionHeads}) must be a positive multiple of num_key_value_heads ({config.NumKeyValueHeads})");
        Require(config.OriginalHeadDim > 0 && config.OriginalHeadDim % 2 == 0, $"the original head dim ({config.OriginalHeadDim}) must be positive and even");
        Require(config.AttentionScale > 0 && double.IsFinite(config.AttentionScale), $"the attention scale ({config.AttentionScale}) must be positive");
        Require(config.Layers.Count == config.NumLayers, $"{config.Layers.Count} layer shapes are given for {config.NumLayers} layers");
        Require(config.HiddenAct == "silu", $"hidden_act '{config.HiddenAct}' is not supported (only 'silu')");

        for (var i = 0; i < config.Layers.Count; i++)
        {
            var layer = config.Layers[i];
            Require(layer.QkHeadDim >= 0 && layer.QkHeadDim % 2 == 0, $"layer {i}: the query/key head dim ({layer.QkHeadDim}) must be even");
            Require(layer.VHeadDim > 0 && layer.IntermediateSize > 0, $"layer {i}: the value head dim and intermediate size must be positive");
            Require(
                layer.RopePairs.Count == config.NumKeyValueHeads,
                $"layer {i}: {layer.RopePairs.Count} RoPE pair lists are given for {config.NumKeyValueHeads} key/value heads");
            for (var head = 0; head < layer.RopePairs.Count; head++)
            {
                var pairs = layer.RopePairs[head];
                Require(
                    pairs.Count * 2 == layer.QkHeadDim,
                    $"layer {i}, key/value head {head}: {pairs.Count} RoPE pairs do not fill the query/key head dim {layer.QkHeadDim}");
                Require(
                    pairs.All(k => k >= 0 && k < config.RopePairCount) && pairs.Distinct().Count() == pairs.Count,
                    $"layer {i}, key/value head {head}: RoPE pair indices must be distinct and in [0, {config.RopePairCount})");
            }

            foreach (var (projection, rank) in layer.FactorizedRanks)
            {
                Require(
                    TensorNames.IsProjection(projection),
                    $"layer {i}: '{projection}' is not a projection that can be factorised; expected one of {string.Join(", ", TensorNames.Projections)}");
                var (rows, columns) = LinearProjections.Dimensions(config, layer, projection);
                Require(
                    rank >= 1 && rank <= Math.Min(rows, columns),
                    $"layer {i}: the rank of factorised {projection} ({rank}) must lie in [1, {Math.Min(rows, columns)}] for its [{rows}, {columns}] weight");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new A3InputException(A3ErrorCodes.InvalidModelConfig, message);
        }
    }
}
