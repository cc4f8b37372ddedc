namespace A3.Runtime.Reporting;

/// <summary>Everything a compression run did, written as <c>a3-report.json</c> beside the model.</summary>
/// <param name="Method"><c>a3</c>, <c>svd</c> or <c>svd-llm</c>.</param>
/// <param name="Target">How the sizes were chosen, e.g. <c>budget 0.1 (greedy)</c> or <c>ratios qk 0.25 ov 0.25 mlp 0.25</c>.</param>
/// <param name="Sequential">Whether each layer was calibrated on the outputs of the already-compressed layers below it.</param>
/// <param name="CalibrationTokens">Tokens the statistics were collected over.</param>
/// <param name="Before">The original model.</param>
/// <param name="After">The compressed model.</param>
/// <param name="Layers">Per-layer results.</param>
/// <param name="Warnings">Numerical warnings (eigenvalue clamps, Cholesky shifts) and format notes (for example a grown V cache).</param>
/// <param name="Seconds">Wall-clock seconds of the whole run.</param>
public sealed record CompressionReport(
    string Method,
    string Target,
    bool Sequential,
    long CalibrationTokens,
    ModelSummary Before,
    ModelSummary After,
    IReadOnlyList<LayerReport> Layers,
    IReadOnlyList<string> Warnings,
    double Seconds)
{
    /// <summary>Gets the decoder-linear parameters removed.</summary>
    public long DecoderParametersRemoved => Before.DecoderLinearParameters - After.DecoderLinearParameters;

    /// <summary>Gets the fraction of decoder-linear parameters removed (the paper's compression ratio).</summary>
    public double DecoderRemovedFraction => DecoderParametersRemoved / (double)Before.DecoderLinearParameters;

    /// <summary>Gets all parameters removed.</summary>
    public long TotalParametersRemoved => Before.TotalParameters - After.TotalParameters;
}
