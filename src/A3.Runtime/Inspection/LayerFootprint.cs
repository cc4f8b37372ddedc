namespace A3.Runtime.Inspection;

/// <summary>The size and cost of one decoder layer.</summary>
/// <param name="Index">The layer index.</param>
/// <param name="QkHeadDim">Query/key head dimension.</param>
/// <param name="VHeadDim">Value head dimension.</param>
/// <param name="IntermediateSize">MLP intermediate size.</param>
/// <param name="AttentionParameters">Parameters of q/k/v/o projections (biases included).</param>
/// <param name="MlpParameters">Parameters of gate/up/down projections.</param>
/// <param name="KvCacheBytesPerToken">Bytes of K and V cached per token.</param>
/// <param name="FlopsPerToken">Multiply-adds ×2 for one token at the given context.</param>
public sealed record LayerFootprint(
    int Index,
    int QkHeadDim,
    int VHeadDim,
    int IntermediateSize,
    long AttentionParameters,
    long MlpParameters,
    long KvCacheBytesPerToken,
    long FlopsPerToken);
