namespace A3.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// The default <see cref="ExternalDataThresholdBytes"/>: 2,000,000,000 bytes, safely below protobuf's 2 GiB limit on one
    /// serialised message, which also leaves room for the graph itself.
    /// </summary>
    public const long DefaultExternalDataThresholdBytes = 2_000_000_000;

    /// <summary>
    /// Gets the weight bytes above which the weights go to <c>model.onnx_data</c> (ONNX external data) instead of into
    /// <c>model.onnx</c>. Defaults to <see cref="DefaultExternalDataThresholdBytes"/>; must be zero or more (zero puts
    /// the weights of any model outside).
    /// </summary>
    public long ExternalDataThresholdBytes { get; init; } = DefaultExternalDataThresholdBytes;
}
