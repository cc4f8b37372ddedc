using A3.Runtime.Model;
using A3.Runtime.Reporting;
using TorchSharp;

namespace A3.Compression;

/// <summary>
/// One compressed layer: its new shape, its tensors (Hugging Face names, float32 on the CPU) and what it lost.
/// Owns its tensors until the engine adopts them into the compressed model.
/// </summary>
public sealed class LayerCompression : IDisposable
{
    /// <summary>Initializes a new instance that owns <paramref name="tensors"/>.</summary>
    /// <param name="shape">The layer's new shape.</param>
    /// <param name="tensors">The layer's linear tensors by full name (norms are not included).</param>
    /// <param name="components">Per component or projection: sizes and relative error.</param>
    /// <param name="warnings">Numerical warnings from the solvers.</param>
    /// <param name="solverSeconds">Seconds per solver (component or projection); <see langword="null"/> when not timed, as for a layer read back from disk.</param>
    public LayerCompression(
        LayerShape shape,
        IReadOnlyDictionary<string, torch.Tensor> tensors,
        IReadOnlyList<ComponentReport> components,
        IReadOnlyList<string> warnings,
        IReadOnlyDictionary<string, double>? solverSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(warnings);
        Shape = shape;
        Tensors = tensors;
        Components = components;
        Warnings = warnings;
        SolverSeconds = solverSeconds ?? new Dictionary<string, double>();
    }

    /// <summary>Gets the layer's new shape.</summary>
    public LayerShape Shape { get; }

    /// <summary>Gets the layer's linear tensors by full name (norms are not included).</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Tensors { get; }

    /// <summary>Gets, per component or projection, the sizes and relative error.</summary>
    public IReadOnlyList<ComponentReport> Components { get; }

    /// <summary>Gets the numerical warnings from the solvers.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Gets the seconds each solver (component or projection) took; empty when not timed.</summary>
    public IReadOnlyDictionary<string, double> SolverSeconds { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
