namespace A3.Cli.Output;

/// <summary>What <c>a3 export</c> writes as JSON.</summary>
/// <param name="Output">The folder written.</param>
/// <param name="Format">The format written (<c>onnx</c>).</param>
/// <param name="ModelFile">The graph file.</param>
/// <param name="ExternalDataFile">The external weights file, or null when the weights are inside the graph.</param>
/// <param name="Opset">The ONNX opset.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="WeightBytes">Bytes of the weights as stored (float32).</param>
/// <param name="Bytes">Bytes of the folder's files.</param>
internal sealed record ExportOutput(string Output, string Format, string ModelFile, string? ExternalDataFile, int Opset, int Layers, long WeightBytes, long Bytes);
