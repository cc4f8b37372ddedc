namespace A3.Cli.Output;

/// <summary>What <c>a3 inspect --json</c> prints.</summary>
internal sealed record InspectOutput(
    string Architecture,
    bool Compressed,
    string Dtype,
    InspectParameters Parameters,
    long KvCacheBytesPerToken,
    long FlopsPerToken,
    int Context,
    IReadOnlyList<InspectLayer> Layers);

/// <summary>The parameter counts of <see cref="InspectOutput"/>.</summary>
internal sealed record InspectParameters(long Total, long Embeddings, long DecoderLinear, long Norms);

/// <summary>One layer of <see cref="InspectOutput"/>.</summary>
internal sealed record InspectLayer(int Index, int QkHeadDim, int VHeadDim, int IntermediateSize, long AttentionParameters, long MlpParameters, long KvCacheBytesPerToken, long FlopsPerToken);
