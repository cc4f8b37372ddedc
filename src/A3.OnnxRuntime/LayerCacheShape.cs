namespace A3.OnnxRuntime;

/// <summary>The key/value cache of one decoder layer, as the graph declares it; A3 compression shrinks the head dims per layer.</summary>
/// <param name="KeyValueHeads">The number of key/value heads.</param>
/// <param name="KeyHeadDim">The dimension of each cached key head (the layer's query/key head dim).</param>
/// <param name="ValueHeadDim">The dimension of each cached value head.</param>
internal sealed record LayerCacheShape(int KeyValueHeads, int KeyHeadDim, int ValueHeadDim);
