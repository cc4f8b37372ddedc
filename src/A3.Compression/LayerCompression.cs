using A3.Runtime.Reporting;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression;

/// <summary>One compressed layer: its new shape, its tensors (Hugging Face names, float32 on the CPU) and what it lost.</summary>
/// <param name="Shape">The layer's new shape.</param>
/// <param name="Tensors">The layer's linear tensors by full name (norms are not included).</param>
/// <param name="Components">Per component or projection: sizes and relative error.</param>
/// <param name="Warnings">Numerical warnings from the solvers.</param>
internal sealed record LayerCompression(
    LayerShape Shape,
    IReadOnlyDictionary<string, torch.Tensor> Tensors,
    IReadOnlyList<ComponentReport> Components,
    IReadOnlyList<string> Warnings);
