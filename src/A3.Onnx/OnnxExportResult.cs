namespace A3.Onnx;

/// <summary>What <see cref="OnnxExporter.Export"/> wrote.</summary>
/// <param name="OutputFolder">The folder written, full path.</param>
/// <param name="ModelFile">The graph, <c>model.onnx</c>, full path.</param>
/// <param name="ExternalDataFile">The weights file <c>model.onnx_data</c>, full path, when the weights were written outside the graph; otherwise <see langword="null"/>.</param>
/// <param name="Opset">The ONNX opset of the default domain the graph uses.</param>
/// <param name="Layers">The number of decoder layers exported.</param>
/// <param name="WeightBytes">The bytes of the model's weights as stored in the export (float32).</param>
public sealed record OnnxExportResult(string OutputFolder, string ModelFile, string? ExternalDataFile, int Opset, int Layers, long WeightBytes);
