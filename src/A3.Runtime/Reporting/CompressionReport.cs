using System.Text.Json.Serialization;

namespace A3.Runtime.Reporting;

/// <summary>
/// What a compression made and what it costs, as written to <c>a3-report.json</c> beside the compressed model
/// (<see cref="CompressionReportFile"/>) and read back by applications, which cannot see the original model.
/// It holds no times, paths or cache facts, so the same inputs give the same bytes; those live in
/// <see cref="CompressionRunFacts"/>.
/// </summary>
/// <param name="Method">The method's recipe name: <c>a3</c>, <c>svd</c> or <c>svd-llm</c>.</param>
/// <param name="Target">How the sizes were chosen, e.g. <c>budget 0.2 (uniform)</c> or <c>ratios qk 0.25 ov 0.25 mlp 0.25</c>.</param>
/// <param name="Sequential">Whether each layer was calibrated on the outputs of the already-compressed layers below it.</param>
/// <param name="CalibrationTokens">Tokens the statistics were collected over.</param>
/// <param name="Before">The original model.</param>
/// <param name="After">The compressed model.</param>
/// <param name="Layers">Per-layer results.</param>
/// <param name="Warnings">Numerical warnings (eigenvalue clamps, Cholesky shifts) and format notes of the run.</param>
/// <param name="Evaluation">The compressed model's perplexity when the recipe asked for an evaluation, else <see langword="null"/>.</param>
/// <param name="Allocation">How a measuring allocator chose the sizes and how its prediction held; absent (not written) for the others.</param>
public sealed record CompressionReport(
    [property: JsonPropertyOrder(0)] string Method,
    [property: JsonPropertyOrder(1)] string Target,
    [property: JsonPropertyOrder(2)] bool Sequential,
    [property: JsonPropertyOrder(3)] long CalibrationTokens,
    [property: JsonPropertyOrder(7)] ModelSummary Before,
    [property: JsonPropertyOrder(8)] ModelSummary After,
    [property: JsonPropertyOrder(9)] IReadOnlyList<LayerReport> Layers,
    [property: JsonPropertyOrder(10)] IReadOnlyList<string> Warnings,
    [property: JsonPropertyOrder(11)] ReportedEvaluation? Evaluation = null,
    [property: JsonPropertyOrder(12), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AllocationReport? Allocation = null)
{
    /// <summary>Gets the decoder-linear parameters removed.</summary>
    [JsonPropertyName("decoder_params_removed")]
    [JsonPropertyOrder(4)]
    public long DecoderParametersRemoved => Before.DecoderLinearParameters - After.DecoderLinearParameters;

    /// <summary>Gets the fraction of decoder-linear parameters removed (the paper's compression ratio).</summary>
    [JsonPropertyOrder(5)]
    public double DecoderRemovedFraction => DecoderParametersRemoved / (double)Before.DecoderLinearParameters;

    /// <summary>Gets all parameters removed.</summary>
    [JsonPropertyName("total_params_removed")]
    [JsonPropertyOrder(6)]
    public long TotalParametersRemoved => Before.TotalParameters - After.TotalParameters;
}
